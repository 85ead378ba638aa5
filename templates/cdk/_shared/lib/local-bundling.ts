import type { BundlingOptions } from "aws-cdk-lib/aws-lambda-nodejs";

/**
 * How `NodejsFunction` bundles each handler of this app: with the esbuild in devDependencies, on this
 * machine (never in Docker, so `cdk synth` needs no network), leaving the AWS SDK v3 out because the
 * Node.js runtime ships it. A bundle is then the handler's own code, a few kilobytes.
 */
export const LOCAL_BUNDLING: BundlingOptions = {
  externalModules: ["@aws-sdk/*", "@smithy/*"],
  forceDockerBundling: false,
};
