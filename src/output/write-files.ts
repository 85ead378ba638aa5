import { lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { uniqueSuffix } from "./write-file.ts";
import type { FileMap } from "../render/scaffold.ts";

export type WriteResult = { target: string; written: string[]; replaced: string[] };

/** Inside an existing target: files being written, not yet committed. Deleted by the next write. */
const STAGING_PREFIX = ".aws-patterns-staging-";
/** Inside an existing target: a complete, committed set of files still being moved into place. */
export const COMMIT_DIR = ".aws-patterns-commit";

/**
 * Writes a FileMap into `targetDir` so that a run killed at any instant (SIGKILL, a crash, a
 * closed terminal) never leaves a half-written tree and never costs a file the scaffold does not
 * generate. (Nothing is fsynced: the guarantee covers the process dying, not the machine.)
 *
 * - A missing target is created whole: the files are written into a hidden sibling folder
 *   `.<name>.aws-patterns-<random>`, which is then renamed to the target. Until that one rename
 *   the target does not exist; after it, it is complete. A sibling left by a killed run is deleted
 *   by the next write to the same target.
 *
 * - An existing target is written through a journal inside it, so every rename stays on the
 *   target's file system and the folder itself (its permissions, a shell inside it) is kept. A
 *   non-empty target needs `force`; then only the generated files are replaced.
 *   1. The files are written into `<target>/.aws-patterns-staging-<random>/`.
 *   2. Commit point: that folder is renamed to `<target>/.aws-patterns-commit/` (one rename).
 *   3. Each file in it is renamed over its place in the target; then the folder is removed.
 *   Killed before step 2, the target holds exactly its old files, plus a staging folder that the
 *   next write deletes. Killed after step 2, the commit folder holds exactly the files not yet
 *   moved, and the next write to this target (any `scaffold --out` or `advise --scaffold` into it,
 *   even one that then refuses) first finishes moving them, so the target reaches the complete new
 *   state. Between step 2 and that next write, the target can show some new generated files
 *   beside old ones; no state loses a file the scaffold does not generate, as such files are never
 *   moved, renamed or deleted. Two runs writing into the same target at once are not supported.
 *
 * Before anything is written, the target is checked: no generated path may run through a
 * symbolic link or a file, or land on a folder.
 */
export function writeFiles(targetDir: string, files: FileMap, options: { force: boolean }): WriteResult {
  const target = resolve(targetDir);
  const kind = guarded(targetDir, "nothing was changed", () => kindOf(target));
  if (kind === "other") throw new UserError(`${targetDir}: exists and is not a folder`);
  if (kind === "missing") {
    createWhole(target, targetDir, files);
    return { target, written: [...files.keys()], replaced: [] };
  }
  const real = guarded(targetDir, "nothing was changed", () => realpathSync(target));
  guarded(targetDir, "an earlier interrupted write into it is not finished yet; run the command again", () => finishInterruptedWrite(real));
  const existing = guarded(targetDir, "nothing was changed", () => readdirSync(real));
  if (existing.length > 0 && !options.force) {
    throw new UserError(
      `${targetDir}: is not empty (${existing.length} entr${existing.length === 1 ? "y" : "ies"}); nothing was written`,
      "pass --force to replace only the files aws-patterns generates; your other files are kept",
    );
  }
  const replaced = guarded(targetDir, "nothing was changed", () => {
    checkPaths(real, targetDir, files);
    return [...files.keys()].filter((f) => kindOf(join(real, f)) !== "missing");
  });
  const staging = join(real, `${STAGING_PREFIX}${uniqueSuffix()}`);
  guarded(targetDir, "nothing was changed", () => {
    try {
      stage(staging, files);
      renameSync(staging, join(real, COMMIT_DIR));
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
  });
  guarded(targetDir, `the new files wait in ${COMMIT_DIR}/ there; run the same command again to finish`, () => finishInterruptedWrite(real));
  return { target, written: [...files.keys()], replaced };
}

/**
 * Completes a write into `target` that was killed after its commit point (moving every file left
 * in the commit folder into place) and deletes uncommitted staging folders. Idempotent; returns
 * whether a committed write was finished.
 */
export function finishInterruptedWrite(target: string): boolean {
  for (const entry of readdirSync(target)) {
    if (entry.startsWith(STAGING_PREFIX)) rmSync(join(target, entry), { recursive: true, force: true });
  }
  const commit = join(target, COMMIT_DIR);
  if (kindOf(commit) !== "folder") return false;
  for (const path of filesUnder(commit)) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    renameSync(join(commit, path), join(target, path));
  }
  rmSync(commit, { recursive: true, force: true });
  return true;
}

/** A missing target: written beside it, then renamed into place in one step. */
function createWhole(target: string, targetDir: string, files: FileMap): void {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.aws-patterns-`;
  const staging = join(parent, `${prefix}${uniqueSuffix()}`);
  guarded(targetDir, "nothing was changed", () => {
    try {
      mkdirSync(parent, { recursive: true });
      // what a killed run left beside this target is never worth keeping
      for (const entry of readdirSync(parent)) if (entry.startsWith(prefix)) rmSync(join(parent, entry), { recursive: true, force: true });
      stage(staging, files);
      renameSync(staging, target);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
  });
}

function stage(folder: string, files: FileMap): void {
  mkdirSync(folder);
  for (const [path, content] of files) {
    const file = join(folder, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, { mode: 0o644 });
  }
}

/** Refuses generated paths that would write through a link or a file, or onto a folder, before anything is written. */
function checkPaths(real: string, targetDir: string, files: FileMap): void {
  const checked = new Set<string>();
  for (const path of files.keys()) {
    const parts = path.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const relative = parts.slice(0, i).join("/");
      if (checked.has(relative)) continue;
      checked.add(relative);
      const kind = kindOf(join(real, relative), false);
      const shown = join(targetDir, relative);
      if (i < parts.length && kind === "link") throw new UserError(`${shown}: is a symbolic link; aws-patterns does not write through links; nothing was written`);
      if (i < parts.length && kind !== "missing" && kind !== "folder") throw new UserError(`${shown}: is a file where the scaffold needs a folder; nothing was written`);
      if (i === parts.length && kind === "folder") throw new UserError(`${shown}: is a folder where the scaffold writes a file; nothing was written`);
    }
  }
}

/** Relative paths of the files under a folder, sorted; walked without recursion. */
function filesUnder(root: string): string[] {
  const found: string[] = [];
  const pending = [""];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      else found.push(path);
    }
  }
  return found.sort();
}

function kindOf(path: string, follow = true): "missing" | "folder" | "link" | "other" {
  try {
    const stat = follow ? statSync(path) : lstatSync(path);
    return stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "folder" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    throw error;
  }
}

/** Runs a step; a file-system failure becomes a UserError saying what state the target is in. Anything else is rethrown. */
function guarded<T>(targetDir: string, state: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code !== "string") throw error;
    throw new UserError(`${targetDir}: cannot be written (${code}); ${state}`);
  }
}
