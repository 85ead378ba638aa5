#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ can keep V8's compiled code for our modules between runs (in the OS temp folder), so
// later starts skip most parsing and compiling; Node 20 has no such cache and skips this line.
// main.js is imported after it, dynamically, for the cache to cover it.
module.enableCompileCache?.();
await import("../dist/main.js");
