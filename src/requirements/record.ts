import { parseDataText, readTextFile, type DataFile } from "../data-file.ts";
import { UserError } from "../errors.ts";

/** The front-matter key under which a design document records its inputs and its decision. */
export const RECORD_KEY = "aws-patterns";

/**
 * The requirements recorded in a design document (`docs/adr/0001-x.md`): its MADR front matter's
 * `aws-patterns.stated` (what the user stated, so that unstated fields stay unknown), as a data
 * file whose line numbers point into the document.
 */
export function readRecordedRequirements(file: string): DataFile {
  const record = readRecord(file);
  const stated = record.data[RECORD_KEY] as Record<string, unknown> | undefined;
  if (stated === undefined || stated === null || typeof stated !== "object" || !("stated" in stated))
    throw new UserError(`${file}: its front matter has no \`${RECORD_KEY}.stated\`; expected a design document written by aws-patterns advise`);
  const data = stated.stated;
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new UserError(`${file} › ${RECORD_KEY}.stated (line ${record.lineOf([RECORD_KEY, "stated"]) ?? "?"}): expected a mapping of requirements`);
  return { file, data, lineOf: (path, key) => record.lineOf([RECORD_KEY, "stated", ...path], key) };
}

/** A Markdown file's front matter (between the first two `---` lines), parsed, with document line numbers. */
export function readRecord(file: string): DataFile & { data: Record<string, unknown>; body: string } {
  const text = readTextFile(file).replace(/^\uFEFF/, "");
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) throw new UserError(`${file}: has no front matter; expected a design document that starts with a --- block`);
  // one blank line first, so the yaml package's line numbers match the document's
  const parsed = parseDataText(`\n${match[1]!}`, file);
  if (parsed.data === null || typeof parsed.data !== "object" || Array.isArray(parsed.data))
    throw new UserError(`${file}: its front matter is not a mapping`);
  return { ...parsed, data: parsed.data as Record<string, unknown>, body: text.slice(match[0].length) };
}

/** A requirements source is a design document when it ends in .md. */
export function isRecordFile(file: string): boolean {
  return /\.md$/i.test(file);
}
