import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** What a scaffold pins: package versions known to work together, and CDK's recommended flags. */
export type ScaffoldFacts = {
  versions: Record<(typeof PINNED)[number], string> & Partial<Record<(typeof PINNED_FOR_TEMPLATES)[number], string>>;
  /** the context `cdk init` writes into a new app's cdk.json, for the pinned aws-cdk-lib */
  featureFlags: Record<string, unknown>;
};

/** Packages whose installed versions the generated package.json pins. */
export const PINNED = ["aws-cdk-lib", "constructs", "cdk-nag", "aws-cdk", "typescript", "tsx", "vitest", "@types/node"] as const;

/**
 * Packages that only some templates add to their app's package.json (through a `_dev-dependencies`
 * or `_optional-dependencies` part, as `{{lookup versions "sharp"}}`), pinned the same way: to the
 * versions installed here, which the suite proves the generated apps with.
 */
export const PINNED_FOR_TEMPLATES = [
  "esbuild",
  "sharp",
  "iovalkey",
  "aws-jwt-verify",
  "aws-sdk-client-mock",
  "@aws-sdk/client-apigatewaymanagementapi",
  "@aws-sdk/client-bedrock-agent-runtime",
  "@aws-sdk/client-bedrock-runtime",
  "@aws-sdk/client-dynamodb",
  "@aws-sdk/client-elasticache",
  "@aws-sdk/client-eventbridge",
  "@aws-sdk/client-firehose",
  "@aws-sdk/client-kinesis",
  "@aws-sdk/client-rds-data",
  "@aws-sdk/client-rekognition",
  "@aws-sdk/client-s3",
  "@aws-sdk/client-secrets-manager",
  "@aws-sdk/client-sqs",
  "@aws-sdk/client-ssm",
  "@aws-sdk/client-sts",
  "@aws-sdk/lib-dynamodb",
  "@types/aws-lambda",
] as const;

/** Set by the build from the installed packages, so the built CLI never loads aws-cdk-lib. */
declare const __SCAFFOLD_FACTS__: ScaffoldFacts | undefined;

export function scaffoldFacts(): ScaffoldFacts {
  return typeof __SCAFFOLD_FACTS__ === "object" ? __SCAFFOLD_FACTS__ : readScaffoldFacts();
}

/** Reads the facts from the packages installed beside aws-patterns (its devDependencies). */
export function readScaffoldFacts(): ScaffoldFacts {
  const require = createRequire(import.meta.url);
  // a package whose `exports` hides its package.json (sharp) is found where Node would look for it
  const manifestOf = (name: string) => {
    try {
      return require.resolve(`${name}/package.json`);
    } catch {
      const found = require.resolve.paths(name)?.map((dir) => join(dir, name, "package.json")).find((file) => existsSync(file));
      if (found === undefined) throw new Error(`${name} is not installed beside aws-patterns`);
      return found;
    }
  };
  const versionOf = (name: string) => (JSON.parse(readFileSync(manifestOf(name), "utf8")) as { version: string }).version;
  const versions = Object.fromEntries([...PINNED, ...PINNED_FOR_TEMPLATES].map((name) => [name, versionOf(name)])) as ScaffoldFacts["versions"];
  const cxapi = require("aws-cdk-lib/cx-api") as { NEW_PROJECT_DEFAULT_CONTEXT: object; CURRENTLY_RECOMMENDED_FLAGS: object };
  return { versions, featureFlags: { ...cxapi.NEW_PROJECT_DEFAULT_CONTEXT, ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } };
}
