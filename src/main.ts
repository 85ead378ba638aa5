import { CommanderError } from "commander";
import { buildProgram } from "./cli.ts";
import { CheckFailed, describeInternalError, describeUserError, UserError } from "./errors.ts";

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";
const USAGE = `Usage: aws-patterns <command> [options]

  aws-patterns init                      write a commented requirements.yaml to fill in
  aws-patterns advise -r requirements.yaml   rank the patterns and recommend a design (asks on a terminal)
  aws-patterns scaffold <id>             write a CDK app for one pattern (see aws-patterns list)

Run aws-patterns --help for every command.
`;

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
      process.stderr.write(describeUserError(error));
      return 2;
    }
    if (error instanceof Error && error.name === "ExitPromptError") {
      process.stderr.write("aws-patterns: cancelled\n");
      return 130;
    }
    process.stderr.write(describeInternalError(error, debug));
    return 1;
  }
}

// A closed pipe (`aws-patterns list | head`) is not an error worth a stack.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await run(process.argv);
