import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // synthesizing with template validation and cdk-nag takes a few seconds
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
