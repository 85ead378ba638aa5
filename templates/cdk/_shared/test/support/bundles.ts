import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Stack } from "aws-cdk-lib";

/**
 * The handler bundles (each asset's index.js) that NodejsFunction wrote for `stack` into the cloud
 * assembly in `outdir`, one per distinct bundle. Other assets (layers, templates) are left out.
 */
export function handlerBundles(outdir: string, stack: Stack): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), "utf8")) as { files: Record<string, { source: { path: string } }> };
  const files = new Set(Object.values(manifest.files).map((asset) => join(outdir, asset.source.path, "index.js")));
  return [...files].filter((file) => existsSync(file)).map((file) => readFileSync(file, "utf8"));
}

/**
 * Context for an App whose stacks synthesize without running esbuild: the functions get placeholder
 * code. For tests that read only the template; it saves a second or more a function on a busy machine.
 */
export const WITHOUT_BUNDLING = { "aws:cdk:bundling-stacks": [] as string[] };
