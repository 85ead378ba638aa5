import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readDataFile, toProblems } from "../data-file.ts";
import { formatProblem, UserError, type Problem } from "../errors.ts";
import { patternSchema, type Catalog, type Pattern } from "./schema.ts";

/** The `patterns/` folder shipped with aws-patterns (found upward from this module, built or not). */
export function builtinPatternsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "patterns");
    if (isDirectory(candidate) && isDirectory(join(dir, "templates"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("the built-in patterns/ folder was not found next to aws-patterns");
}

/**
 * Loads the built-in catalog, then each extra folder in order; an entry in a later folder replaces
 * the one with the same id. Every problem in every file is reported at once in one UserError.
 */
export function loadCatalog(extraDirs: readonly string[] = []): Catalog {
  const problems: Problem[] = [];
  const byId = new Map<string, Loaded>();
  for (const dir of [builtinPatternsDir(), ...extraDirs]) {
    for (const loaded of loadFolder(dir, problems)) byId.set(loaded.pattern.id, loaded);
  }
  problems.push(...checkCrossReferences([...byId.values()]));
  if (problems.length > 0) {
    throw new UserError(
      [`the pattern catalog has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`, ...problems.map(formatProblem)],
    );
  }
  return [...byId.values()].map((l) => l.pattern).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

type Loaded = { pattern: Pattern; file: string };

function loadFolder(dir: string, problems: Problem[]): Loaded[] {
  if (!isDirectory(dir)) {
    problems.push({ file: dir, path: [], message: "is not a folder of pattern YAML files" });
    return [];
  }
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) problems.push({ file: dir, path: [], message: "holds no .yaml files" });
  const loaded: Loaded[] = [];
  for (const name of files) {
    const file = join(dir, name);
    try {
      const source = readDataFile(file);
      const result = patternSchema.safeParse(source.data);
      if (!result.success) {
        problems.push(...toProblems(result.error.issues, source, patternSchema));
        continue;
      }
      const expected = basename(name).replace(/\.ya?ml$/, "");
      if (result.data.id !== expected) {
        problems.push({ file, path: ["id"], line: source.lineOf(["id"]), message: `id "${result.data.id}" must match the file name "${expected}"` });
        continue;
      }
      loaded.push({ pattern: result.data, file });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push({ file: "", path: [], message: error.message });
    }
  }
  return loaded;
}

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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
