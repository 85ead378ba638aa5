import { CommanderError } from "commander";
import { buildProgram } from "./cli.ts";
import { CheckFailed, UserError } from "./errors.ts";

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";
const USAGE = `Usage: aws-patterns <command> [options]

  aws-patterns init                      write a commented requirements.yaml to fill in
  aws-patterns advise -r requirements.yaml   rank the patterns and recommend a design (asks on a terminal)
  aws-patterns scaffold <id>             write a CDK app for one pattern (see aws-patterns list)

Run aws-patterns --help for every command.
`;
const REPORT = "This is a bug in aws-patterns. Please report it with the command you ran and this output (add --debug for the stack).";

/** Runs the CLI and returns the exit code. The only place errors become exit codes. */
export async function run(argv: readonly string[]): Promise<number> {
  const debug = argv.includes("--debug") || process.env.AWS_PATTERNS_DEBUG === "1";
  // --no-color works on every command: it turns colour off the way NO_COLOR does
  if (argv.includes("--no-color")) process.env.NO_COLOR = "1";
  // a bare `aws-patterns` is a usage error: say what to run, exit 2 (README: "A bare aws-patterns")
  if (argv.length <= 2) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    await buildProgram(VERSION).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (with a suggestion where it has one)
      return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code) ? 0 : 2;
    }
    if (error instanceof CheckFailed) {
      process.stderr.write(`aws-patterns: ${error.message}\n`);
      return 3;
    }
    if (error instanceof UserError) {
      process.stderr.write(`aws-patterns: ${shortList(error.lines).join("\n  ")}\n${error.hint ? `hint: ${printable(error.hint)}\n` : ""}`);
      return 2;
    }
    if (error instanceof Error && error.name === "ExitPromptError") {
      process.stderr.write("aws-patterns: cancelled\n");
      return 130;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`aws-patterns: internal error: ${printable(message.split("\n")[0] ?? "")}\n${REPORT}\n`);
    if (debug) process.stderr.write(`${error instanceof Error ? (error.stack ?? "") : ""}\n`);
    return 1;
  }
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

// A closed pipe (`aws-patterns list | head`) is not an error worth a stack.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await run(process.argv);
