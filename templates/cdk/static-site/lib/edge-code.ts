import { readFileSync } from "node:fs";
import * as path from "node:path";

/** What the viewer-request function needs to know about the site. */
export interface EdgeConfig {
  /** host every other name is redirected to, e.g. example.com; empty: no host redirect */
  readonly canonicalHost: string;
  /** single-page app: paths without a file extension get /index.html */
  readonly spa: boolean;
}

/** The file the function is written in, beside the stack's lib/ folder. */
export const VIEWER_REQUEST_FILE = path.join(__dirname, "..", "edge", "viewer-request.mjs");

const CONFIG_LINE = /^const CONFIG = .*;$/m;

/**
 * The viewer-request function's code with its CONFIG line filled in. The stack deploys this text, and
 * the tests run the same text, so what is tested is what CloudFront runs.
 */
export function viewerRequestCode(config: EdgeConfig, source: string = readFileSync(VIEWER_REQUEST_FILE, "utf8")): string {
  if (!CONFIG_LINE.test(source)) throw new Error(`${VIEWER_REQUEST_FILE} has no "const CONFIG = ...;" line to fill in`);
  return source.replace(CONFIG_LINE, `const CONFIG = ${JSON.stringify({ canonicalHost: config.canonicalHost, spa: config.spa })};`);
}
