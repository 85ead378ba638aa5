import { chmodSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";

/**
 * Writes one file atomically: a temporary file beside it (`.<name>.aws-patterns-<random>`), then a
 * rename over it. Killed at any instant, the file holds either its old content or the new one,
 * never a part; a temporary file a killed run left is deleted by the next write to the same path.
 * An existing file keeps its permissions, and a symbolic link is written through (the file it
 * points to is replaced, the link stays).
 */
export function writeFileAtomic(path: string, content: string): string {
  const given = resolve(path);
  const existing = statOrUndefined(given);
  if (existing?.isDirectory()) throw new UserError(`${path}: is a folder; --out takes a file path`);
  const target = existing ? realpathSync(given) : given;
  const prefix = `.${basename(target)}.aws-patterns-`;
  const temp = join(dirname(target), `${prefix}${uniqueSuffix()}`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    for (const entry of readdirSync(dirname(target))) if (entry.startsWith(prefix)) rmSync(join(dirname(target), entry), { recursive: true, force: true });
    // "wx": never through something already there (a link planted under the temporary name)
    writeFileSync(temp, content, { mode: 0o644, flag: "wx" });
    if (existing) chmodSync(temp, existing.mode & 0o7777);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new UserError(`${path}: cannot be written (${code}); nothing was changed`);
    throw error;
  }
  return target;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * A suffix for a temporary name beside a target: unique to this process and moment, and not
 * guessable in advance. Temporary files are created exclusively ("wx", or mkdir), so a name taken
 * already fails instead of being followed. (node:crypto would cost 4 ms to load for this.)
 */
export function uniqueSuffix(): string {
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
