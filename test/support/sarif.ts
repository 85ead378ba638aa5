import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";

// both are CommonJS packages whose export is also their `default`
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

/**
 * Validates a SARIF log against the official SARIF 2.1.0 JSON schema (the OASIS schema as
 * schemastore publishes it, shipped in @microsoft/jest-sarif), with ajv's draft-04 validator, the
 * schema's own draft. Returns the errors, empty when the log is valid.
 */
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
// the schema has one pattern (language) that is valid only without the u flag: `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

export function sarifErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}
