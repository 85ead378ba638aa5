import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { Composer, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, YAMLParseError, type Document, type YAMLError } from "yaml";
import type { z } from "zod";
import { formatProblem, UserError, type Problem } from "./errors.ts";
import { quickParseYaml } from "./quick-yaml.ts";
import { didYouMean } from "./suggest.ts";

/**
 * Largest requirements or pattern file we read. The biggest built-in pattern is about 13 KB, while
 * the YAML parser can need a second or more per MiB on hostile shapes (tens of thousands of keys or
 * list items); 256 KiB leaves twenty times the room any real file needs and keeps every answer,
 * refusals included, well under a second.
 */
export const MAX_FILE_BYTES = 256 * 1024;
/** Deepest nesting accepted; the schemas need six levels at most. */
export const MAX_DEPTH = 32;
/** Alias expansions allowed while turning the YAML into data (bounds "billion laughs" files). */
export const MAX_ALIAS_COUNT = 100;
/** Problems reported per file; the rest are counted, so a hostile file cannot flood the terminal. */
export const MAX_PROBLEMS_PER_FILE = 10;

export type PathKey = string | number;

/** A parsed YAML or JSON file that still knows where each value came from. */
export type DataFile = {
  file: string;
  data: unknown;
  /** 1-based line of the value (or of the key itself, when `key` is true) at a path, if known */
  lineOf: (path: readonly PathKey[], key?: boolean) => number | undefined;
};

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Reads and parses a YAML or JSON file. Every failure is a UserError naming the file. */
export function readDataFile(file: string): DataFile {
  return parseDataText(readTextFile(file), file);
}

/** A file's text: bounded in size, UTF-8 only, refused with a clear message otherwise. */
export function readTextFile(file: string): string {
  const buffer = readBounded(file);
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))
    throw new UserError(`${file}: is UTF-16 text; save it as UTF-8`);
  if (buffer.includes(0)) throw new UserError(`${file}: looks binary (it contains NUL bytes); expected a YAML or JSON text file`);
  let text: string;
  try {
    text = UTF8.decode(buffer);
  } catch {
    throw new UserError(`${file}: is not valid UTF-8 text; save it as UTF-8`);
  }
  return text;
}

/**
 * The file's bytes, never more than MAX_FILE_BYTES + 1 of them: a regular file is refused by its
 * size before reading, and anything else (a pipe, `/dev/zero`, `/dev/stdin`) is read in chunks and
 * refused as soon as it passes the limit.
 */
function readBounded(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserError(`${file}: is a directory; expected a YAML or JSON file`);
    if (stat.isFile() && stat.size > MAX_FILE_BYTES) throw tooLarge(file, `is ${stat.size} bytes, more`);
    if (stat.isFile()) {
      // one read of its size plus a byte: a short read is the whole file; a full one means it grew meanwhile
      const whole = Buffer.allocUnsafe(stat.size + 1);
      const read = readSync(fd, whole, 0, whole.length, null);
      if (read < whole.length) return whole.subarray(0, read);
      return readChunks(fd, file, [whole], read);
    }
    return readChunks(fd, file, [], 0);
  } catch (error) {
    throw error instanceof UserError ? error : unreadable(file, error);
  } finally {
    closeSync(fd);
  }
}

/** The rest of a file of unknown length, in chunks, refused as soon as it passes the limit. */
function readChunks(fd: number, file: string, chunks: Buffer[], total: number): Buffer {
  for (;;) {
    if (total > MAX_FILE_BYTES) throw tooLarge(file, "holds more");
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
}

function tooLarge(file: string, what: string): UserError {
  return new UserError(`${file}: ${what} than the ${MAX_FILE_BYTES / 1024} KiB (${MAX_FILE_BYTES} bytes) allowed for a requirements or pattern file`);
}

function unreadable(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error;
  if (code === "ENOENT" || code === "ENOTDIR") return new UserError(`${file}: no such file`);
  if (code === "EISDIR") return new UserError(`${file}: is a directory; expected a YAML or JSON file`);
  if (code === "EACCES" || code === "EPERM") return new UserError(`${file}: cannot be read (permission denied)`);
  return new UserError(`${file}: cannot be read (${code})`);
}

/**
 * Parses YAML (JSON is a subset of it) into plain data, strictly: the YAML 1.2 core schema only
 * (no merge keys, no `!!binary`/`!!set`/`!!timestamp`, no custom tags), no duplicate keys, no
 * `__proto__` keys, keys that are plain scalars, nesting at most MAX_DEPTH deep, and alias expansion
 * bounded by MAX_ALIAS_COUNT. Every refusal is a UserError naming the file and, where known, the line.
 * Plain files take the quick reader (src/quick-yaml.ts), which gives the same data; anything else,
 * and the lines of a file whose data has problems, come from the yaml package.
 */
export function parseDataText(source: string, file: string): DataFile {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  if (text.trim() === "") throw new UserError(`${file}: is empty; expected a mapping of fields`);
  const quick = quickParseYaml(text);
  if (quick === undefined) return parseWithYaml(text, file);
  // lines are wanted only to report a problem: the yaml package finds them then
  let lines: DataFile["lineOf"] | undefined;
  return {
    file,
    data: quick,
    lineOf: (path, key) => {
      lines ??= parseWithYaml(text, file).lineOf;
      return lines(path, key);
    },
  };
}

/** The yaml package's reading of a file, with its checks and the line of every value. */
export function parseWithYaml(text: string, file: string): DataFile {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  let doc: Document;
  try {
    doc = composeOneDocument(text, lineCounter);
  } catch (error) {
    if (error instanceof NestedTooDeeply) throw new UserError(`${file} (line ${lineAt(error.offset) ?? "?"}): nested too deeply; at most ${MAX_DEPTH} levels are allowed`);
    throw error;
  }
  const firstError = doc.errors[0];
  if (firstError) throw new UserError(`${file} (line ${lineAt(firstError.pos[0]) ?? "?"}): not valid YAML or JSON: ${describeYamlError(firstError)}`);
  const unresolvedTag = doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
  if (unresolvedTag) {
    const tag = unresolvedTag.message.replace(/^Unresolved tag: /, "").replace(/^tag:yaml\.org,2002:/, "!!");
    throw new UserError(`${file} (line ${lineAt(unresolvedTag.pos[0]) ?? "?"}): the tag ${tag} is not supported; write plain values (text, numbers, true/false, lists, mappings)`);
  }
  const problems = checkStructure(doc, file, lineAt);
  if (problems.length > 0) throw new UserError(problems.map(formatProblem));
  if (doc.contents === null) throw new UserError(`${file}: is empty; expected a mapping of fields`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) throw new UserError(`${file}: expands aliases too often (a YAML alias bomb?); at most ${MAX_ALIAS_COUNT} expansions are allowed`);
    if (error instanceof RangeError) throw new UserError(`${file}: is nested too deeply to read; at most ${MAX_DEPTH} levels are allowed`);
    throw new UserError(`${file}: cannot be read as data: ${message.split("\n")[0]}`);
  }
  checkMapping(data, file);
  return { file, data, lineOf: (path, key = false) => locate(doc, path, key, lineAt) };
}

/**
 * Data that came from no file (the arguments of an MCP tool call) as a DataFile named `name`, held
 * to a file's bounds: a mapping at the top, nested at most MAX_DEPTH levels. It has no lines.
 */
export function dataFromValue(value: unknown, name: string): DataFile {
  if (depthOver(value, MAX_DEPTH)) throw new UserError(`${name}: is nested too deeply to read; at most ${MAX_DEPTH} levels are allowed`);
  checkMapping(value, name);
  return { file: name, data: value, lineOf: () => undefined };
}

function checkMapping(data: unknown, file: string): void {
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new UserError(`${file}: the top level is ${Array.isArray(data) ? "a list" : data === null ? "null" : `a ${typeof data}`}; expected a mapping of fields`);
}

/** Whether lists and mappings nest deeper than `max` levels; walked without recursion, so any depth is safe to ask about. */
function depthOver(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (depth > max) return true;
    if (current === null || typeof current !== "object") continue;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Parser stack entries allowed while reading: far above what MAX_DEPTH needs, far below what overflows the composer. */
const MAX_PARSER_STACK = 4 * MAX_DEPTH;

class NestedTooDeeply extends Error {
  constructor(readonly offset: number | undefined) {
    super("nested too deeply");
  }
}

/**
 * `parseDocument` from the yaml package, with the nesting bounded before the recursive composer
 * sees it: the syntax tree is built token by token, and reading stops once the parser holds more
 * than MAX_PARSER_STACK open nodes. Unbounded, a 40 KB file of `[[[[...` exhausts the stack, and
 * V8 can then abort the whole process rather than throw. A second document is an error.
 */
function composeOneDocument(text: string, lineCounter: LineCounter): Document {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // parser.parse() does this for the first line; parser.next() does not
  function* tokens() {
    for (const lexeme of new Lexer().lex(text)) {
      yield* parser.next(lexeme);
      if (parser.stack.length > MAX_PARSER_STACK) throw new NestedTooDeeply((parser.stack.at(-1) as { offset?: number } | undefined)?.offset);
    }
    yield* parser.end();
  }
  const composer = new Composer({
    schema: "core",
    resolveKnownTags: false,
    merge: false,
    // checked in checkStructure in linear time: the composer's own check is quadratic in the number of keys
    uniqueKeys: false,
    strict: true,
    prettyErrors: false,
  });
  let doc: Document | undefined;
  for (const next of composer.compose(tokens(), true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "more than one document"));
      break;
    }
  }
  return doc!;
}

function describeYamlError(error: YAMLError): string {
  if (error.code === "MULTIPLE_DOCS") return "it holds more than one document (a second `---`); expected exactly one";
  return error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/**
 * Walks the parsed document without recursion (so hostile nesting cannot overflow the stack) and
 * returns what the data would silently get wrong: duplicate keys (YAML would keep one of them),
 * `__proto__` keys (a prototype, not a field, in JavaScript), keys that are lists or mappings
 * (they would be stringified), and nesting deeper than MAX_DEPTH.
 */
function checkStructure(doc: Document, file: string, lineAt: (offset: number | undefined) => number | undefined): Problem[] {
  const problems: Problem[] = [];
  const lineOfNode = (node: unknown) => lineAt((node as { range?: [number, number, number] } | null)?.range?.[0]);
  const stack: { node: unknown; path: PathKey[] }[] = [{ node: doc.contents, path: [] }];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS_PER_FILE) {
    const { node, path } = stack.pop()!;
    if (path.length > MAX_DEPTH) {
      problems.push({ file, path: path.slice(0, 3), line: lineOfNode(node), message: `nested more than ${MAX_DEPTH} levels deep` });
      break;
    }
    const children: { node: unknown; path: PathKey[] }[] = [];
    if (isMap(node)) {
      const seen = new Map<string, number | undefined>();
      for (const pair of node.items) {
        const line = lineOfNode(pair.key);
        if (pair.key !== null && !isScalar(pair.key)) {
          problems.push({ file, path, line, message: "a key must be plain text, not a list, a mapping or an alias" });
          continue;
        }
        const name = pair.key === null ? "" : String(pair.key.value);
        if (name === "__proto__") problems.push({ file, path: [...path, name], line, message: "is not allowed as a key" });
        else if (seen.has(name)) problems.push({ file, path: [...path, name], line, message: `duplicate key; it is already given on line ${seen.get(name) ?? "?"}` });
        else seen.set(name, line);
        children.push({ node: pair.value, path: [...path, name] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => children.push({ node: item, path: [...path, i] }));
    }
    // reversed, so the walk (and the problems) follow the order of the file
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return problems.slice(0, MAX_PROBLEMS_PER_FILE);
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

/**
 * Turns zod issues into problems with lines, naming unknown keys with the nearest known key. One
 * problem per field (the first, most specific issue), unknown keys first, at most
 * MAX_PROBLEMS_PER_FILE of them; the rest are counted in a last line.
 */
export function toProblems(issues: readonly z.core.$ZodIssue[], source: DataFile, schema: z.ZodType): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  let untold = 0;
  const add = (path: PathKey[], make: () => Problem) => {
    const id = JSON.stringify(path);
    if (reported.has(id)) return;
    reported.add(id);
    if (problems.length < MAX_PROBLEMS_PER_FILE) problems.push(make());
    else untold++;
  };
  // unknown keys first: a misspelt key also explains the "is required" problem of the key it meant
  const ordered = [...issues.filter((i) => i.code === "unrecognized_keys"), ...issues.filter((i) => i.code !== "unrecognized_keys")];
  for (const issue of ordered) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = keysAt(schema, path);
      for (const key of issue.keys) {
        add([...path, key], () => {
          const hint = didYouMean(key, known);
          return {
            file: source.file,
            path: [...path, key],
            line: source.lineOf([...path, key], true),
            message: `unknown key${hint}${known.length > 0 && hint === "" ? `; expected one of ${known.join(", ")}` : ""}`,
          };
        });
      }
      continue;
    }
    add(path, () => ({ file: source.file, path, line: source.lineOf(path), message: describeIssue(issue, source.data, path) }));
  }
  if (untold > 0) problems.push({ file: source.file, path: [], message: `and ${untold} more problem${untold === 1 ? "" : "s"} not shown` });
  return problems;
}

/** How a zod type name reads in a message. */
const EXPECTED: Readonly<Record<string, string>> = {
  int: "a whole number",
  number: "a number",
  string: "text",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

/** zod's own wording starts like this; our schemas' messages never do. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (big|small))\b/;

function describeIssue(issue: z.core.$ZodIssue, data: unknown, path: readonly PathKey[]): string {
  const found = valueAt(data, path);
  const shown = found === undefined ? "nothing" : describeValue(found);
  const custom = !ZOD_DEFAULT_MESSAGE.test(issue.message);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (found === undefined) return `is required (expected ${expected})`;
      if (typeof found === "number" && !Number.isFinite(found)) return `expected a finite number, found ${shown}`;
      if ((issue.expected === "number" || issue.expected === "int") && typeof found === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(found))
        return `expected ${expected}, found the text ${shown}; write the number without quotes`;
      if (issue.expected === "boolean" && typeof found === "string" && /^(true|false|yes|no|on|off|y|n)$/i.test(found))
        return `expected true or false, found the text ${shown}; write true or false without quotes`;
      if (issue.expected === "string" && shown === "a mapping")
        return `expected text, found a mapping (a colon followed by a space makes YAML read a mapping; quote the text)`;
      if (custom) return `${issue.message}; found ${shown}`;
      return `expected ${expected}, found ${shown}`;
    }
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => String(v)).join(", ")}; found ${shown}${typeof found === "string" ? didYouMean(found, issue.values.map(String)) : ""}`;
    case "too_small":
    case "too_big": {
      const message = custom ? issue.message : describeBound(issue);
      return `${message}${found === undefined || typeof found === "object" ? "" : `; found ${shown}`}`;
    }
    case "invalid_format":
    case "custom":
      return `${issue.message}${found === undefined || typeof found === "object" ? "" : `; found ${shown}`}`;
    default:
      return issue.message;
  }
}

/** zod's "Too big: expected number to be <=1000" in our words. */
function describeBound(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const big = issue.code === "too_big";
  const limit = Number(big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum);
  const inclusive = issue.inclusive !== false;
  const word = big ? (inclusive ? "at most" : "less than") : inclusive ? "at least" : "more than";
  const shownLimit = Number.isSafeInteger(limit) ? limit.toLocaleString("en-US") : String(limit);
  switch (issue.origin) {
    case "array":
    case "set":
      return `expected ${word} ${shownLimit} entr${limit === 1 ? "y" : "ies"}`;
    case "string":
      return `expected ${word} ${shownLimit} character${limit === 1 ? "" : "s"}`;
    default:
      return `expected a number ${word} ${shownLimit}`;
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
