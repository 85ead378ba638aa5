import { dataFromValue, readDataFile, type DataFile } from "../data-file.ts";
import { UserError } from "../errors.ts";
import { FIELDS, getPath, setPath, type Field } from "./fields.ts";
import { forgive } from "./forgiving.ts";
import { quickParseRequirements } from "./quick-parse.ts";
import type { Requirements } from "./schema.ts";
import { deriveQuantities, statedPaths, type Assessed } from "./basis.ts";
import { LEGACY_WORKLOADS } from "./values.ts";
import { isRecordFile, readRecordedRequirements } from "./record.ts";

/** Flag values as commander hands them over, keyed by the field's flag name. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** What the user gave before any prompt: the file's data with the flags laid over it. */
export type Draft = {
  source: DataFile | undefined;
  data: Record<string, unknown>;
  /** field paths whose value came from a flag */
  fromFlags: ReadonlySet<string>;
  /** what was read differently from how it was written (a legacy value), for stderr */
  notices: string[];
};

/** Reads the requirements file (if any) and lays flags over it. Flags win. */
export function draftRequirements(file: string | undefined, flags: FlagValues): Draft {
  return draftFrom(file === undefined ? undefined : isRecordFile(file) ? readRecordedRequirements(file) : readDataFile(file), flags);
}

/** A requirements file (read now) or requirements already drafted. */
export function draftOf(source: string | Draft): Draft {
  return typeof source === "string" ? draftRequirements(source, {}) : source;
}

/** Requirements given as a value, not a file (an MCP tool's argument, named `name` in messages): read exactly as a file's data. */
export function draftFromValue(value: unknown, name: string): Draft {
  return draftFrom(dataFromValue(value, name), {});
}

/** The data read, with the forms people write read as canonical, legacy values upgraded and flags laid over it. */
function draftFrom(source: DataFile | undefined, flags: FlagValues): Draft {
  const data = source ? structuredClone(source.data as Record<string, unknown>) : {};
  const fromFlags = new Set<string>();
  const problems: string[] = [];
  // the file's values in the forms people write (`99.95%`, `15 minutes`, `yes`, one workload as text) read as canonical
  for (const field of FIELDS) {
    const value = getPath(data, field.path);
    if (value !== undefined) {
      const read = forgive(field, value);
      if (read !== value) setPath(data, field.path, read);
    }
  }
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
  return { source, data, fromFlags, notices: upgradeLegacyValues(data) };
}

/** Rewrites legacy workload values in place (`media-processing` -> `image-processing`) and says so. */
export function upgradeLegacyValues(data: Record<string, unknown>): string[] {
  const workload = data.workload;
  if (!Array.isArray(workload)) return [];
  const notices: string[] = [];
  const upgraded = workload.map((w) => {
    const successor = typeof w === "string" && Object.hasOwn(LEGACY_WORKLOADS, w) ? LEGACY_WORKLOADS[w] : undefined;
    if (successor === undefined) return w;
    notices.push(`workload "${String(w)}" is read as "${successor}"; it was split into image-processing and video-processing, so write the one you mean`);
    return successor;
  });
  if (notices.length > 0) setPath(data, "workload", [...new Set(upgraded)]);
  return notices;
}

/**
 * The draft validated, with defaults filled: a plainly valid draft without loading zod, anything
 * else through `finishRequirements` and the schema, which name every problem.
 */
export async function resolveRequirements(draft: Draft): Promise<Requirements> {
  const quick = quickParseRequirements(draft.data);
  if (quick !== undefined) return quick;
  const { finishRequirements } = await import("./resolve.ts");
  return finishRequirements(draft);
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** The draft validated, defaults filled, and what follows from the stated fields derived: what the advice stands on. */
export async function assessRequirements(draft: Draft): Promise<Assessed> {
  return deriveQuantities(await resolveRequirements(draft), statedPaths(draft.data));
}

/** Turns a flag's text into the value the file would hold; validation proper is the schema's job. */
export function parseFlagValue(field: Field, raw: string | boolean): Parsed {
  if (typeof raw === "boolean") {
    return field.kind === "bool" ? { ok: true, value: raw } : { ok: false, message: "expects a value" };
  }
  const text = raw.trim();
  const value = forgive(field, text);
  switch (field.kind) {
    case "int":
      return typeof value === "number" && Number.isInteger(value) ? { ok: true, value } : { ok: false, message: `expected a whole number (1000, 1,000 or 1k), found ${JSON.stringify(raw)}` };
    case "number":
      return typeof value === "number" ? { ok: true, value } : { ok: false, message: `expected a number (99.95, 99.95% or 1,000), found ${JSON.stringify(raw)}` };
    case "budget":
      return value === null || typeof value === "number" ? { ok: true, value } : { ok: false, message: `expected a number of US dollars (5000, $5,000 or 5k) or "none", found ${JSON.stringify(raw)}` };
    case "set":
    case "list":
      return { ok: true, value };
    case "bool":
      return typeof value === "boolean" ? { ok: true, value } : { ok: false, message: `expected yes or no (true or false), found ${JSON.stringify(raw)}` };
    default:
      return { ok: true, value };
  }
}


/** commander's property name for a flag: `concurrent-users` -> `concurrentUsers`. */
export function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
