import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";

/** Writes one file atomically: a temporary file beside it, then a rename. Never half-written. */
export function writeFileAtomic(path: string, content: string): string {
  const target = resolve(path);
  try {
    if (statSync(target).isDirectory()) throw new UserError(`${path}: is a folder; --out takes a file path`);
  } catch (error) {
    if (error instanceof UserError) throw error;
  }
  const temp = join(dirname(target), `.${basename(target)}.aws-patterns-${randomBytes(4).toString("hex")}`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(temp, content, { mode: 0o644 });
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UserError(`${path}: cannot be written (${code}); nothing was changed`);
    throw error;
  }
  return target;
}
