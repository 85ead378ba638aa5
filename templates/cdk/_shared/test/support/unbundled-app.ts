import { App, type AppProps } from "aws-cdk-lib";

/**
 * An app for stack tests that assert resources and their properties. It skips bundling the
 * functions with esbuild, which takes seconds a stack; test/cdk-nag.test.ts and `cdk synth` still
 * bundle every function.
 */
export function unbundledApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...props.context, "aws:cdk:bundling-stacks": [] } });
}
