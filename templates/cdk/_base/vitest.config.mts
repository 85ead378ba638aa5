import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // synthesizing with template validation and several cdk-nag packs takes seconds alone, and
    // minutes on a small, busy CI machine
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
