/** A mistake in what the user gave us: exit code 2, no stack. `lines` are shown one per line. */
export class UserError extends Error {
  readonly lines: readonly string[];
  readonly hint: string | undefined;
  constructor(lines: string | readonly string[], hint?: string) {
    const list = typeof lines === "string" ? [lines] : lines;
    super(list.join("\n"));
    this.name = "UserError";
    this.lines = list;
    this.hint = hint;
  }
}

/** A bug or an environment failure we did not expect: exit code 1; the stack only with --debug. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InternalError";
  }
}

/** One problem in a file: `file › path (line N): message`. */
export type Problem = { file: string; path: readonly (string | number)[]; line?: number | undefined; message: string };

export function formatProblem(p: Problem): string {
  if (p.file === "") return p.message;
  const path = p.path.length > 0 ? ` › ${formatPath(p.path.map(displayKey))}` : "";
  const line = p.line !== undefined ? ` (line ${p.line})` : "";
  return `${p.file}${path}${line}: ${p.message}`;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

/** A key as shown in a message: plain when it looks like a field name, else quoted and cut short. */
function displayKey(key: string | number): string | number {
  if (typeof key === "number" || /^[\w$.-]{1,60}$/.test(key)) return key;
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key);
}

/** A check that ran and found the decision no longer holds (`verify`): exit code 3; its report is already printed. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckFailed";
  }
}

const REPORT = "This is a bug in aws-patterns. Please report it with the command you ran and this output (add --debug for the stack).";

/**
 * A UserError as the CLI prints it on stderr (and the MCP server returns it as a tool error):
 * `aws-patterns: ` and its lines, then the hint.
 */
export function describeUserError(error: UserError): string {
  return `aws-patterns: ${shortList(error.lines).join("\n  ")}\n${error.hint ? `hint: ${printable(error.hint)}\n` : ""}`;
}

/** Anything else that was thrown, as a bug: its first line and how to report it; the stack with `debug`. */
export function describeInternalError(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug ? `${error instanceof Error ? (error.stack ?? "") : ""}\n` : "";
  return `aws-patterns: internal error: ${printable(message.split("\n")[0] ?? "")}\n${REPORT}\n${stack}`;
}

/** Most lines a bad-input message shows; the rest are counted. */
const MAX_LINES = 20;
/** Longest line shown; values quoted from the input are already cut short, this bounds the rest. */
const MAX_LINE_LENGTH = 400;

/** A UserError's lines, made printable and bounded, so no input can flood or drive the terminal. */
function shortList(lines: readonly string[]): string[] {
  const all = lines.flatMap((line) => line.split("\n")).map(printable);
  const shown = all.slice(0, all.length > MAX_LINES ? MAX_LINES - 1 : MAX_LINES);
  if (shown.length < all.length) shown.push(`... and ${all.length - shown.length} more lines`);
  return shown;
}

/**
 * Text from the input (file names, keys, YAML error messages) with control characters escaped,
 * so a hostile file cannot send terminal escape sequences or hide text with bidirectional marks.
 */
function printable(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > MAX_LINE_LENGTH ? `${escaped.slice(0, MAX_LINE_LENGTH - 3)}...` : escaped;
}
