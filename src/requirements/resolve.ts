import { readDataFile, toProblems, type DataFile } from "../data-file.ts";
import { formatPath, formatProblem, UserError } from "../errors.ts";
import { FIELDS, getPath, setPath, type Field } from "./fields.ts";
import { requirementsSchema, WORKLOADS, type Requirements } from "./schema.ts";

/** Flag values as commander hands them over, keyed by the field's flag name. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** What the user gave before any prompt: the file's data with the flags laid over it. */
export type Draft = {
  source: DataFile | undefined;
  data: Record<string, unknown>;
  /** field paths whose value came from a flag */
  fromFlags: ReadonlySet<string>;
};

/** Reads the requirements file (if any) and lays flags over it. Flags win. */
export function draftRequirements(file: string | undefined, flags: FlagValues): Draft {
  const source = file === undefined ? undefined : readDataFile(file);
  const data = source ? structuredClone(source.data as Record<string, unknown>) : {};
  const fromFlags = new Set<string>();
  const problems: string[] = [];
  for (const field of FIELDS) {
    const raw = flags[camel(field.flag)];
    if (raw === undefined) continue;
    const parsed = parseFlagValue(field, raw);
    if (parsed.ok) {
      setPath(data, field.path, parsed.value);
      fromFlags.add(field.path);
    } else {
      problems.push(`--${field.flag}: ${parsed.message}`);
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return { source, data, fromFlags };
}

/**
 * Validates a draft, filling defaults. Problems name the flag or the file, path and line. A missing
 * workload is reported with how to give one, after the file's other problems (a `workloads:` typo
 * is then shown with its suggestion, not only as a missing workload).
 */
export function finishRequirements(draft: Draft): Requirements {
  const result = requirementsSchema.safeParse(draft.data);
  if (result.success) return result.data;
  const source: DataFile = draft.source ?? { file: "requirements", data: draft.data, lineOf: () => undefined };
  const noWorkload = getPath(draft.data, "workload") === undefined;
  const issues = noWorkload ? result.error.issues.filter((i) => !(i.path.length === 1 && i.path[0] === "workload")) : result.error.issues;
  const lines = toProblems(issues, { ...source, data: draft.data }, requirementsSchema).map((problem) => {
    const field = fieldOf(problem.path);
    if (field && draft.fromFlags.has(field.path)) return `--${field.flag}: ${problem.message}`;
    return formatProblem(problem);
  });
  if (noWorkload) {
    const where = draft.source ? `${draft.source.file} has no \`workload:\`` : "no workload was given";
    lines.push(`${where}; pass --workload (one or more of ${WORKLOADS.join(", ")}), or a requirements file with a \`workload:\` list, or run in a terminal to be asked`);
    if (lines.length === 1) throw new UserError(lines);
  }
  throw new UserError(lines, "run `aws-patterns schema` for the full requirements format");
}

/** The field a problem path falls under (`workload[1]` is under `workload`). */
function fieldOf(path: readonly (string | number)[]): Field | undefined {
  const dotted = formatPath(path.filter((k) => typeof k === "string"));
  return FIELDS.find((f) => dotted === f.path || dotted.startsWith(`${f.path}.`) || dotted.startsWith(`${f.path}[`));
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** Turns a flag's text into the value the file would hold; validation proper is the schema's job. */
export function parseFlagValue(field: Field, raw: string | boolean): Parsed {
  if (typeof raw === "boolean") {
    return field.kind === "bool" ? { ok: true, value: raw } : { ok: false, message: "expects a value" };
  }
  const text = raw.trim();
  switch (field.kind) {
    case "int":
      return /^[+-]?\d+$/.test(text) ? { ok: true, value: Number(text) } : { ok: false, message: `expected a whole number, found ${JSON.stringify(raw)}` };
    case "number":
      return isDecimal(text) ? { ok: true, value: Number(text) } : { ok: false, message: `expected a number, found ${JSON.stringify(raw)}` };
    case "budget":
      if (text === "" || /^(none|null)$/i.test(text)) return { ok: true, value: null };
      return isDecimal(text) ? { ok: true, value: Number(text) } : { ok: false, message: `expected a number of US dollars or "none", found ${JSON.stringify(raw)}` };
    case "set":
      return { ok: true, value: text === "" || text === "none" ? [] : text.split(",").map((v) => v.trim()).filter((v) => v !== "") };
    case "bool":
      if (/^(true|yes|1)$/i.test(text)) return { ok: true, value: true };
      if (/^(false|no|0)$/i.test(text)) return { ok: true, value: false };
      return { ok: false, message: `expected true or false, found ${JSON.stringify(raw)}` };
    default:
      return { ok: true, value: text };
  }
}

function isDecimal(text: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text);
}

/** commander's property name for a flag: `concurrent-users` -> `concurrentUsers`. */
export function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
