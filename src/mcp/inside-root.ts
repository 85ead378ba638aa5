import { lstatSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.ts";

const HINT = "give a path inside that folder, or start the server with `aws-patterns mcp --root DIR`";

/**
 * A path an MCP client gave, resolved against the server's root, if it stays inside the root: by
 * its words (no `..` or absolute path elsewhere) and on disk (no symbolic link on the way that
 * leads out). The part of the path that does not exist yet is checked by its words alone; nothing
 * is created. Returns the path relative to the root (the server's working folder), as a person
 * there would type it, so that messages and output read as the CLI's.
 */
export function insideRoot(root: string, path: string): string {
  const top = resolve(root);
  const target = resolve(top, path);
  if (!isWithin(top, target)) throw new UserError(`${path}: is outside ${top}, the folder this server may read and write`, HINT);
  if (!isWithin(realpathSync(top), realPathOf(target, path))) throw new UserError(`${path}: leads outside ${top} through a symbolic link`, HINT);
  return relative(top, target) || ".";
}

/** The real path of `target`: its deepest existing part with every link resolved, and the rest as written. */
function realPathOf(target: string, given: string): string {
  const rest: string[] = [];
  let existing = target;
  while (!exists(existing, given)) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch (error) {
    // a link whose target is missing, or one that loops
    throw new UserError(`${given}: goes through a symbolic link that leads nowhere (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`, HINT);
  }
}

/** Whether something (a link included, followed or not) is at `path`. */
function exists(path: string, given: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw new UserError(`${given}: cannot be checked (${code ?? "unreadable"})`);
  }
}

function isWithin(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return inside === "" || (inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside));
}
