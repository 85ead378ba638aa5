import { findPattern, loadCatalogEntries } from "../catalog/load.ts";
import { readTextFile } from "../data-file.ts";
import { UserError } from "../errors.ts";

const PREFIX = "aws-patterns://patterns/";
export const PATTERN_MIME_TYPE = "application/yaml";

/** Each catalog entry as a resource: its YAML file, at aws-patterns://patterns/<id>. */
export async function listPatternResources(patterns: readonly string[]) {
  return (await loadCatalogEntries(patterns)).map(({ pattern }) => ({
    uri: `${PREFIX}${pattern.id}`,
    name: pattern.id,
    title: pattern.title,
    description: pattern.summary,
    mimeType: PATTERN_MIME_TYPE,
  }));
}

/** The YAML file of the entry a resource URI names; an unknown id is a UserError, as `show` gives it. */
export async function readPatternResource(uri: string, patterns: readonly string[]) {
  const id = /^aws-patterns:\/\/patterns\/([a-z0-9-]+)$/i.exec(uri)?.[1];
  if (id === undefined) throw new UserError(`${JSON.stringify(uri.slice(0, 80))}: not a resource of this server; expected ${PREFIX}<id>`);
  const entries = await loadCatalogEntries(patterns);
  const pattern = findPattern(
    entries.map((e) => e.pattern),
    id,
  );
  const { file } = entries.find((e) => e.pattern === pattern)!;
  return { uri, mimeType: PATTERN_MIME_TYPE, text: readTextFile(file) };
}
