import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// The tests build the app with `new App()`. `cdk synth` hands the app cdk.json's context (the
// feature flags) through CDK_CONTEXT_JSON, and so does this config, so a test sees what synth sees.
const { context } = JSON.parse(readFileSync(new URL("./cdk.json", import.meta.url), "utf8")) as { context: Record<string, unknown> };

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    env: { CDK_CONTEXT_JSON: JSON.stringify(context) },
    // synthesizing with template validation and several cdk-nag packs takes seconds alone, and
    // minutes on a small, busy CI machine
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
