import { beforeAll, describe, expect, it } from "vitest";
import { inPool, runCli, type CliRun } from "./support/run-cli.ts";

/**
 * Unknown commands, flags and ids: exit 2, a short message on stderr with the nearest valid
 * choice when there is one (and where to look when there is none), nothing on stdout, no stack.
 */
const CASES: readonly [args: string[], expected: RegExp][] = [
  [["lst"], /unknown command 'lst'[\s\S]*Did you mean list\?/],
  [["frobnicate"], /unknown command 'frobnicate'[\s\S]*--help/],
  [["--patern", "x", "list"], /unknown option '--patern'[\s\S]*Did you mean --patterns\?/],
  [["list", "--fromat", "json"], /unknown option '--fromat'[\s\S]*Did you mean --format\?/],
  [["advise", "--no-inptu"], /unknown option '--no-inptu'[\s\S]*Did you mean --no-input\?/],
  [["advise", "--requirments", "r.yaml"], /unknown option '--requirments'[\s\S]*Did you mean --requirements\?/],
  // a flag that writes is never guessed: --forse gets no "did you mean --force"
  [["scaffold", "cache-aside", "--forse"], /^aws-patterns: unknown option '--forse'\n\(run with --help/],
  [["list", "--format", "yaml"], /argument 'yaml' is invalid\. Allowed choices are text, json/],
  [["show"], /missing required argument 'id'/],
  [["advise", "extra"], /too many arguments for 'advise'/],
  [["show", "cache-asid"], /unknown pattern id "cache-asid"; did you mean "cache-aside"\?/],
  [["show", "nothing-like-any-id"], /unknown pattern id "nothing-like-any-id"\nhint: run `aws-patterns list` to see every id/],
  [["show", "CACHE-ASID"], /unknown pattern id "CACHE-ASID"; did you mean "cache-aside"\?/],
  [["scaffold", "multi-region-drr", "--dry-run"], /unknown pattern id "multi-region-drr"; did you mean "multi-region-dr"\?/],
  [["scaffold", "nothing-like-any-id", "--dry-run"], /unknown pattern id "nothing-like-any-id"\nhint: run `aws-patterns list`/],
];

describe("usage errors", () => {
  let runs: CliRun[] = [];
  beforeAll(async () => {
    runs = await inPool(CASES.map(([args]) => () => runCli(args)), 3);
  }, 120_000);

  it.each(CASES.map(([args, expected], i) => [args.join(" "), expected, i] as const))("%s", (_, expected, i) => {
    const run = runs[i]!;
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(expected);
    expect(run.stderr.trimEnd().split("\n").length).toBeLessThanOrEqual(4);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
