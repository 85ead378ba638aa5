import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem, InternalError, UserError, type Problem } from "../errors.ts";
import type { Catalog, Pattern } from "./schema.ts";
import { didYouMean } from "../suggest.ts";

/** Set by the build: the file, next to the bundle, holding the built-in catalog validated at build time. */
declare const __COMPILED_CATALOG__: string | undefined;

/** The `patterns/` folder shipped with aws-patterns: found upward from this module, built or not. */
export function builtinPatternsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (isDirectory(join(dir, "patterns")) && isOurPackage(join(dir, "package.json"))) return join(dir, "patterns");
    dir = dirname(dir);
  }
  throw new InternalError("the built-in patterns/ folder was not found next to aws-patterns");
}

function isOurPackage(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === "aws-patterns";
  } catch {
    return false;
  }
}

/**
 * Loads the built-in catalog, then each extra folder in order; an entry in a later folder replaces
 * the one with the same id. Every problem in every file is reported at once in one UserError.
 * The built CLI reads the built-in entries from JSON validated at build time; YAML and the schema
 * are loaded only for folders read at run time.
 */
export async function loadCatalog(extraDirs: readonly string[] = []): Promise<Catalog> {
  return (await loadCatalogEntries(extraDirs)).map((l) => l.pattern);
}

/** `loadCatalog`, each entry with the YAML file it came from (the MCP server serves those files). */
export async function loadCatalogEntries(extraDirs: readonly string[] = []): Promise<Loaded[]> {
  const problems: Problem[] = [];
  const byId = new Map<string, Loaded>();
  const compiled = typeof __COMPILED_CATALOG__ === "string" ? __COMPILED_CATALOG__ : undefined;
  const folders = compiled === undefined ? [builtinPatternsDir(), ...extraDirs] : extraDirs;
  if (compiled !== undefined) {
    const patterns = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), compiled), "utf8")) as Pattern[];
    for (const pattern of patterns) byId.set(pattern.id, { pattern, file: join(builtinPatternsDir(), `${pattern.id}.yaml`) });
  }
  if (folders.length > 0) {
    const { readPatternFolder } = await import("./read-folder.ts");
    for (const dir of folders) for (const loaded of readPatternFolder(dir, problems)) byId.set(loaded.pattern.id, loaded);
  }
  problems.push(...checkCrossReferences([...byId.values()]));
  if (problems.length > 0) {
    throw new UserError(
      [`the pattern catalog has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`, ...problems.map(formatProblem)],
    );
  }
  return [...byId.values()].sort((a, b) => (a.pattern.id < b.pattern.id ? -1 : a.pattern.id > b.pattern.id ? 1 : 0));
}

/** The catalog entry with this id; an unknown id is a UserError suggesting the nearest. */
export function findPattern(catalog: readonly Pattern[], id: string): Pattern {
  // ids are matched as people type them: `Cache-Aside` and ` cache-aside ` find cache-aside
  const wanted = id.trim().toLowerCase().replace(/[\s_]+/g, "-");
  const pattern = catalog.find((p) => p.id === wanted);
  if (!pattern) {
    const ids = catalog.map((p) => p.id);
    throw new UserError(`unknown pattern id "${id}"${didYouMean(id, ids)}`, "run `aws-patterns list` to see every id");
  }
  return pattern;
}

/** An entry and the file it came from. */
export type Loaded = { pattern: Pattern; file: string };

/** References between entries: `embodies` names generic entries. */
function checkCrossReferences(entries: readonly Loaded[]): Problem[] {
  const byId = new Map(entries.map((l) => [l.pattern.id, l.pattern]));
  const problems: Problem[] = [];
  for (const { pattern, file } of entries) {
    pattern.embodies.forEach((id, i) => {
      const target = byId.get(id);
      if (!target) problems.push({ file, path: ["embodies", i], message: `no catalog entry with id "${id}"` });
      else if (target.kind !== "generic") problems.push({ file, path: ["embodies", i], message: `"${id}" is not a generic entry` });
    });
  }
  return problems;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
