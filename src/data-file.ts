import { readFileSync, statSync } from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { formatProblem, UserError, type Problem } from "./errors.ts";
import { didYouMean } from "./suggest.ts";

/** Largest requirements or pattern file we read. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type PathKey = string | number;

/** A parsed YAML or JSON file that still knows where each value came from. */
export type DataFile = {
  file: string;
  data: unknown;
  /** 1-based line of the value (or of the key itself, when `key` is true) at a path, if known */
  lineOf: (path: readonly PathKey[], key?: boolean) => number | undefined;
};

/** Reads and parses a YAML or JSON file. Every failure is a UserError naming the file. */
export function readDataFile(file: string): DataFile {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new UserError(`${file}: is a directory; expected a YAML or JSON file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `${file}: no such file` : `${file}: cannot be read (${code ?? "unknown error"})`);
  }
  if (size > MAX_FILE_BYTES)
    throw new UserError(`${file}: is ${size} bytes; files larger than ${MAX_FILE_BYTES} bytes (1 MiB) are refused`);
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    throw new UserError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "unknown error"})`);
  }
  if (buffer.includes(0)) throw new UserError(`${file}: looks binary (it contains NUL bytes); expected a YAML or JSON text file`);
  return parseDataText(buffer.toString("utf8"), file);
}

/** Parses YAML (JSON is a subset of it) with duplicate keys refused and alias expansion bounded. */
export function parseDataText(source: string, file: string): DataFile {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const firstError = doc.errors[0];
  if (firstError) {
    throw new UserError(`${file} (line ${lineAt(firstError.pos[0]) ?? "?"}): not valid YAML or JSON: ${firstMessageLine(firstError.message)}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`${file}: ${/alias/i.test(message) ? "too many alias expansions (a YAML alias bomb?); at most 100 are allowed" : `cannot be read as data: ${message}`}`);
  }
  if (text.trim() === "" || data === null || data === undefined) throw new UserError(`${file}: is empty; expected a mapping of fields`);
  if (typeof data !== "object" || Array.isArray(data))
    throw new UserError(`${file}: the top level is ${Array.isArray(data) ? "a list" : `a ${typeof data}`}; expected a mapping of fields`);
  return { file, data, lineOf: (path, key = false) => locate(doc, path, key, lineAt) };
}

function locate(
  doc: Document,
  path: readonly PathKey[],
  key: boolean,
  lineAt: (offset: number | undefined) => number | undefined,
): number | undefined {
  if (path.length === 0) return undefined;
  if (key) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const name = path[path.length - 1];
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(name));
      if (pair && isScalar(pair.key)) return lineAt(pair.key.range?.[0]);
    }
  }
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineAt(node.range[0]);
  }
  return undefined;
}

function firstMessageLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/** Turns zod issues into problems with lines, naming unknown keys with the nearest known key. */
export function toProblems(issues: readonly z.core.$ZodIssue[], source: DataFile, schema: z.ZodType): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = keysAt(schema, path);
      for (const key of issue.keys) {
        problems.push({
          file: source.file,
          path: [...path, key],
          line: source.lineOf([...path, key], true),
          message: `unknown key${didYouMean(key, known)}${known.length > 0 && didYouMean(key, known) === "" ? `; expected one of ${known.join(", ")}` : ""}`,
        });
      }
      continue;
    }
    problems.push({ file: source.file, path, line: source.lineOf(path), message: describeIssue(issue, source.data, path) });
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, path: readonly PathKey[]): string {
  const found = valueAt(data, path);
  const shown = found === undefined ? "nothing" : describeValue(found);
  switch (issue.code) {
    case "invalid_type":
      if (found === undefined) return `is required (expected ${issue.expected})`;
      if (issue.expected === "string" && shown === "a mapping")
        return `expected ${issue.expected}, found a mapping (a colon followed by a space makes YAML read a mapping; quote the text)`;
      return `expected ${issue.expected}, found ${shown}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => String(v)).join(", ")}; found ${shown}${typeof found === "string" ? didYouMean(found, issue.values.map(String)) : ""}`;
    case "too_small":
    case "too_big":
    case "invalid_format":
    case "custom":
      return `${issue.message}${found === undefined || typeof found === "object" ? "" : `; found ${shown}`}`;
    default:
      return issue.message;
  }
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PathKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

type ZodDef = Record<string, unknown> & { type?: string };

/** The definition of a schema with defaults, optionals, nullables and pipes peeled off. */
function innerDef(schema: unknown): ZodDef | undefined {
  let current = schema;
  for (;;) {
    const def = (current as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;
    if (!def) return undefined;
    if (["default", "optional", "nullable", "prefault", "readonly", "catch"].includes(def.type ?? "")) current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else return def;
  }
}

/** The schema of the value at a path inside an object schema (through objects, arrays, records). */
export function schemaAt(schema: z.ZodType, path: readonly PathKey[]): z.ZodType | undefined {
  let current: unknown = schema;
  for (const key of path) {
    const def = innerDef(current);
    if (def?.type === "object") current = (def.shape as Record<string, unknown>)[String(key)];
    else if (def?.type === "array") current = def.element;
    else if (def?.type === "record") current = def.valueType;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current as z.ZodType;
}

/** The keys an object schema allows at a path; for a record with enum keys, the enum's values. */
export function keysAt(schema: z.ZodType, path: readonly PathKey[]): string[] {
  const def = innerDef(schemaAt(schema, path));
  if (def?.type === "object") return Object.keys(def.shape as object);
  if (def?.type === "record") {
    const keyDef = innerDef(def.keyType) as { type?: string; entries?: Record<string, string> } | undefined;
    if (keyDef?.type === "enum" && keyDef.entries) return Object.values(keyDef.entries);
  }
  return [];
}
