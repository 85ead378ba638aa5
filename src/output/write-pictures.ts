import { closeSync, openSync, readSync, statSync } from "node:fs";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "./write-file.ts";

/** A file aws-patterns writes beside a document, and the text that marks a file as its own ("" for a file it may always replace, the document itself). */
export type OwnedFile = { path: string; content: string; marker: string };

/**
 * Refuses, before anything is written, every path that cannot take its new content: a folder, or
 * an existing file that does not carry the marker (someone else's picture is never replaced; one
 * an earlier run wrote is). Throws one UserError listing each refusal.
 */
export function checkOwnedFiles(files: readonly OwnedFile[]): void {
  const refused: string[] = [];
  for (const file of files) {
    const kind = kindOf(file.path);
    if (kind === "folder") refused.push(`${file.path}: is a folder; nothing was written`);
    else if (kind === "other") refused.push(`${file.path}: is not a regular file; nothing was written`);
    else if (kind === "file" && !startsWith(file.path, file.marker)) refused.push(`${file.path}: exists and was not written by aws-patterns; nothing was written`);
  }
  if (refused.length > 0) throw new UserError(refused, "move that file away, or pass --diagrams none to write the document without pictures");
}

/** Writes each file atomically (a temporary file beside it, then a rename), in order. Check them first. */
export function writeOwnedFiles(files: readonly OwnedFile[]): void {
  for (const file of files) writeFileAtomic(file.path, file.content);
}

function kindOf(path: string): "missing" | "folder" | "file" | "other" {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? "folder" : stat.isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}

/** Whether the file's first 4 KB hold the marker (pictures carry it in their first line). */
function startsWith(path: string, marker: string): boolean {
  const buffer = Buffer.alloc(4096);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString("utf8").includes(marker);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
