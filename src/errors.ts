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
