import type { BundlingOptions } from "aws-cdk-lib/aws-lambda-nodejs";

/**
 * How this app's functions are bundled: by esbuild from devDependencies, on this machine, at synth,
 * never in Docker. The AWS SDK for JavaScript v3 stays out of the bundles: the Node.js runtime has it.
 */
export const bundling: BundlingOptions = {
  externalModules: ["@aws-sdk/*", "@smithy/*"],
  forceDockerBundling: false,
};
