import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { readDataFile, toProblems } from "../data-file.ts";
import { UserError, type Problem } from "../errors.ts";
import { isDirectory, type Loaded } from "./load.ts";
import { LEGACY_WORKLOADS } from "../requirements/values.ts";
import { patternSchema } from "./schema.ts";

/** Reads and validates every YAML file of a folder; problems are pushed, valid entries returned. */
export function readPatternFolder(dir: string, problems: Problem[]): Loaded[] {
  if (!isDirectory(dir)) {
    problems.push({ file: dir, path: [], message: "is not a folder of pattern YAML files" });
    return [];
  }
  let files: string[];
  // a folder entry that says it is a regular file needs no stat of its own; links and the rest are checked
  const regular = new Set<string>();
  try {
    files = readdirSync(dir, { withFileTypes: true })
      // _icons.yaml and other files whose name starts with _ are not entries
      .filter((entry) => /\.ya?ml$/.test(entry.name) && !entry.name.startsWith("_"))
      .map((entry) => {
        if (entry.isFile()) regular.add(entry.name);
        return entry.name;
      })
      .sort();
  } catch (error) {
    problems.push({ file: dir, path: [], message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "unknown error"})` });
    return [];
  }
  if (files.length === 0) problems.push({ file: dir, path: [], message: "holds no .yaml files" });
  const loaded: Loaded[] = [];
  for (const name of files) {
    const file = join(dir, name);
    try {
      // a pipe or a device named *.yaml would block or never end; only regular files are read
      if (!regular.has(name) && !isRegularFile(file)) {
        problems.push({ file, path: [], message: "is not a regular file; expected a pattern YAML file" });
        continue;
      }
      const source = readDataFile(file);
      upgradeLegacyWorkloads(source.data);
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

/**
 * Entries written for earlier versions keep working: a legacy workload (`media-processing`) in
 * `fit.workloads` or in a `workload` condition is read as its successor, unless the entry already
 * names the successor.
 */
function upgradeLegacyWorkloads(data: unknown): void {
  if (data === null || typeof data !== "object") return;
  const fit = (data as Record<string, unknown>).fit;
  if (fit === null || typeof fit !== "object") return;
  const weights = (fit as Record<string, unknown>).workloads;
  if (weights !== null && typeof weights === "object" && !Array.isArray(weights)) {
    const w = weights as Record<string, unknown>;
    for (const [old, successor] of Object.entries(LEGACY_WORKLOADS)) {
      if (Object.hasOwn(w, old) && !Object.hasOwn(w, successor)) w[successor] = w[old];
      delete w[old];
    }
  }
  for (const key of ["rules", "handles", "complements"]) {
    const list = (fit as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const condition = (item as { when?: { workload?: Record<string, unknown> } } | null)?.when?.workload;
      if (condition === null || typeof condition !== "object") continue;
      for (const [op, operand] of Object.entries(condition)) {
        const upgrade = (v: unknown) => (typeof v === "string" && Object.hasOwn(LEGACY_WORKLOADS, v) ? LEGACY_WORKLOADS[v] : v);
        condition[op] = Array.isArray(operand) ? [...new Set(operand.map(upgrade))] : upgrade(operand);
      }
    }
  }
}

/** True for a regular file (following symbolic links); false for folders, pipes, devices and dangling links. */
function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
