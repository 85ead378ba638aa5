import { CommanderError } from "commander";
import { buildProgram } from "./cli.ts";
import { UserError } from "./errors.ts";

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";
const REPORT = "This is a bug in aws-patterns. Please report it with the command you ran and this output (add --debug for the stack).";

/** Runs the CLI and returns the exit code. The only place errors become exit codes. */
export async function run(argv: readonly string[]): Promise<number> {
  const debug = argv.includes("--debug") || process.env.AWS_PATTERNS_DEBUG === "1";
  try {
    await buildProgram(VERSION).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (with a suggestion where it has one)
      return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code) ? 0 : 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`aws-patterns: ${error.lines.join("\n  ")}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
      return 2;
    }
    if (error instanceof Error && error.name === "ExitPromptError") {
      process.stderr.write("aws-patterns: cancelled\n");
      return 130;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`aws-patterns: internal error: ${message}\n${REPORT}\n`);
    if (debug) process.stderr.write(`${error instanceof Error ? (error.stack ?? "") : ""}\n`);
    return 1;
  }
}

// A closed pipe (`aws-patterns list | head`) is not an error worth a stack.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await run(process.argv);
