import { FIELDS, getPath } from "./fields.ts";

/** Where the requirements of this run can be read back from, for the commands the tool prints. */
export type RequirementsSource = {
  /** a file that holds exactly what was stated: the -r file with nothing laid over it, the --save target, or the written document */
  file?: string;
  /** the stated values, for a command that writes them when no such file exists */
  stated: Readonly<Record<string, unknown>>;
};

/** The file `--save` writes when the person names none. */
export const DEFAULT_SAVE_FILE = "requirements.yaml";

/**
 * The commands that carry the requirements into the scaffold: `advise -r FILE --scaffold DIR`
 * (the recommended, tuned app with its complements), or first the command that saves them.
 */
export function nextCommands(source: RequirementsSource, name: string): string[] {
  if (source.file !== undefined) return [`aws-patterns advise -r ${quote(source.file)} --no-input --scaffold ${name}`];
  return [`aws-patterns advise ${statedFlags(source.stated).join(" ")} --no-input --format json --save ${DEFAULT_SAVE_FILE} > /dev/null`, `aws-patterns advise -r ${DEFAULT_SAVE_FILE} --no-input --scaffold ${name}`];
}

/** The stated values as `advise` flags, in the order of the field table. */
export function statedFlags(stated: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const f of FIELDS) {
    const value = getPath(stated, f.path);
    if (value === undefined) continue;
    const text = Array.isArray(value) ? (value.length === 0 ? "none" : value.join(",")) : value === null ? "none" : String(value);
    out.push(`--${f.flag} ${quote(text)}`);
  }
  return out;
}

/** A shell word: plain when safe, single-quoted otherwise. */
function quote(word: string): string {
  return /^[A-Za-z0-9_./:,=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
