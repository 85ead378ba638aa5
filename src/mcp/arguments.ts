import type { z } from "zod";
import { toProblems } from "../data-file.ts";
import { formatProblem, UserError } from "../errors.ts";

/**
 * A tool call's arguments checked against the tool's input schema, the problems worded as the CLI
 * words them: a missing argument as commander says it, anything else as a problem in a file named
 * after the tool (`show_pattern › format: expected one of ...`). Requirements (the arguments named in
 * `requirements`) are left to the requirements reader, which reads them exactly as a file and
 * names their problems the way `advise -r` does. Returns the arguments as sent: requirements must
 * stay as stated, without the schema's defaults, for the advice to match the CLI's.
 */
export function readArguments<T extends z.ZodObject>(tool: string, schema: T, requirements: readonly string[], sent: Record<string, unknown> | undefined): z.input<T> {
  const args = sent ?? {};
  const result = schema.safeParse(args);
  if (result.success) return args as z.input<T>;
  const issues = result.error.issues.filter((issue) => {
    const key = issue.path[0];
    return !(typeof key === "string" && requirements.includes(key) && args[key] !== undefined);
  });
  if (issues.length === 0) return args as z.input<T>;
  const missing = issues.filter((i) => i.path.length === 1 && args[String(i.path[0])] === undefined);
  const others = issues.filter((i) => !missing.includes(i));
  throw new UserError([
    ...missing.map((i) => `missing required argument '${String(i.path[0])}'`),
    ...toProblems(others, { file: tool, data: args, lineOf: () => undefined }, schema).map(formatProblem),
  ]);
}
