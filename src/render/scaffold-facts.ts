import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** What a scaffold pins: package versions known to work together, and CDK's recommended flags. */
export type ScaffoldFacts = {
  versions: Record<(typeof PINNED)[number], string>;
  /** the context `cdk init` writes into a new app's cdk.json, for the pinned aws-cdk-lib */
  featureFlags: Record<string, unknown>;
};

/** Packages whose installed versions the generated package.json pins. */
export const PINNED = ["aws-cdk-lib", "constructs", "cdk-nag", "aws-cdk", "typescript", "tsx", "vitest", "@types/node"] as const;

/** Set by the build from the installed packages, so the built CLI never loads aws-cdk-lib. */
declare const __SCAFFOLD_FACTS__: ScaffoldFacts | undefined;

export function scaffoldFacts(): ScaffoldFacts {
  return typeof __SCAFFOLD_FACTS__ === "object" ? __SCAFFOLD_FACTS__ : readScaffoldFacts();
}

/** Reads the facts from the packages installed beside aws-patterns (its devDependencies). */
export function readScaffoldFacts(): ScaffoldFacts {
  const require = createRequire(import.meta.url);
  const versionOf = (name: string) =>
    (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  const versions = Object.fromEntries(PINNED.map((name) => [name, versionOf(name)])) as ScaffoldFacts["versions"];
  const cxapi = require("aws-cdk-lib/cx-api") as { NEW_PROJECT_DEFAULT_CONTEXT: object; CURRENTLY_RECOMMENDED_FLAGS: object };
  return { versions, featureFlags: { ...cxapi.NEW_PROJECT_DEFAULT_CONTEXT, ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } };
}
