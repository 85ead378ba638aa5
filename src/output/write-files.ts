import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { FileMap } from "../render/scaffold.ts";

export type WriteResult = { target: string; written: string[]; replaced: string[] };

/**
 * Writes a FileMap into `target` without ever leaving a half-written tree or losing a user's file:
 * everything is written into a hidden temporary folder beside the target first, then moved into
 * place by rename. A missing or empty target is replaced whole in one rename. A non-empty target is
 * refused unless `force`; with it, only the generated files are moved in (each by rename), and every
 * other file the user had stays untouched.
 */
export function writeFiles(targetDir: string, files: FileMap, options: { force: boolean }): WriteResult {
  const target = resolve(targetDir);
  const existing = listDir(target);
  if (existing === "not-a-folder") throw new UserError(`${targetDir}: exists and is not a folder`);
  if (existing.length > 0 && !options.force) {
    throw new UserError(`${targetDir}: is not empty (${existing.length} entr${existing.length === 1 ? "y" : "ies"}); nothing was written`, "pass --force to replace only the files aws-patterns generates; your other files are kept");
  }
  const replaced = existing.length > 0 ? [...files.keys()].filter((f) => exists(join(target, f))) : [];
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.aws-patterns-${randomBytes(4).toString("hex")}`);
  try {
    for (const [path, content] of files) {
      const file = join(temp, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content, { mode: 0o644 });
    }
    if (existing.length === 0) {
      if (exists(target)) rmdirSync(target);
      renameSync(temp, target);
    } else {
      for (const path of files.keys()) {
        mkdirSync(dirname(join(target, path)), { recursive: true });
        renameSync(join(temp, path), join(target, path));
      }
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "ENOSPC")
      throw new UserError(`${targetDir}: cannot be written (${code}); nothing was changed`);
    throw error;
  }
  return { target, written: [...files.keys()], replaced };
}

function listDir(path: string): string[] | "not-a-folder" {
  try {
    if (!statSync(path).isDirectory()) return "not-a-folder";
    return readdirSync(path);
  } catch {
    return [];
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
