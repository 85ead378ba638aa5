import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { inPool, runCli, type CliRun } from "./support/run-cli.ts";

/**
 * The bad-input corpus (test/fixtures/bad-input/cases.yaml) run through the built CLI: every case
 * exits 2 with a short message naming the file, field and line, nothing on stdout, no stack
 * trace, no raw control characters, and well within a generous time bound.
 */
const FIXTURES = "test/fixtures/bad-input";
type Case = { name: string; file?: string; args?: string[]; generate?: string; stderr: string[] };
const cases = parse(readFileSync(join(FIXTURES, "cases.yaml"), "utf8")) as Case[];

/** Most lines a bad-input message may take. */
const MAX_STDERR_LINES = 15;
/**
 * A sanity bound, not a benchmark: a refusal takes well under a second, while a hang or a
 * quadratic blow-up takes tens of seconds. On a machine so busy that even valid runs are slow, the
 * bound grows with them: never under 3 s, and at least three times the slowest valid run.
 */
const MIN_BOUND_MS = 3_000;

/** Valid edge cases: they must succeed, and they time the machine for the bound above. */
const VALID: readonly [name: string, file: string, expected: object][] = [
  ["JSON", "valid/requirements.json", { name: "json-app", workload: ["api", "web-app"], budgetMonthlyUsd: 900 }],
  ["a UTF-8 byte-order mark", "valid/bom.yaml", { name: "bom-app", workload: ["api"], rpo: "5m" }],
  ["CRLF line endings", "valid/crlf.yaml", { name: "crlf-app", workload: ["data-lake"], data: { freshness: "minutes" } }],
  ["JSON with a byte-order mark and CRLF", "valid/bom-crlf.json", { name: "bom-crlf-json", workload: ["batch-compute"], batch: { peakVcpus: 64 } }],
  ["words naming prototype members, as values", "valid/prototype-words.yaml", { name: "constructor", $schema: "__proto__", workload: ["api"] }],
];

/** Files too big to commit, or built from the real catalog so they stay valid as it changes. */
const GENERATORS: Record<string, (dir: string) => void> = {
  "oversized.yaml": (dir) => {
    const head = "workload: [api]\n# padding:\n";
    writeFileSync(join(dir, "oversized.yaml"), `${head}#${"x".repeat(300_000 - head.length - 2)}\n`);
  },
  "many-keys.yaml": (dir) => {
    const lines = Array.from({ length: 5000 }, (_, i) => `k${i + 1}: ${i}\n`);
    writeFileSync(join(dir, "many-keys.yaml"), `workload: [api]\n${lines.join("")}`);
  },
  "patterns-id-mismatch": (dir) => {
    mkdirSync(join(dir, "patterns-id-mismatch"));
    writeFileSync(join(dir, "patterns-id-mismatch", "my-cache.yaml"), readFileSync("patterns/cache-aside.yaml", "utf8"));
  },
  "patterns-bad-rule": (dir) => {
    const pattern = parse(readFileSync("patterns/cache-aside.yaml", "utf8")) as { fit: { rules: { when: object }[] } };
    pattern.fit.rules[0]!.when = { "team.sise": { lte: 3 } };
    mkdirSync(join(dir, "patterns-bad-rule"));
    writeFileSync(join(dir, "patterns-bad-rule", "cache-aside.yaml"), stringify(pattern));
  },
};

function commandOf(c: Case, tmp: string): string[] {
  const fill = (arg: string) => arg.replaceAll("{fixtures}", FIXTURES).replaceAll("{tmp}", tmp);
  if (c.args) return c.args.map(fill);
  const file = c.file !== undefined ? join(FIXTURES, c.file) : join(tmp, c.generate!);
  return ["advise", "--requirements", file, "--format", "json", "--no-input"];
}

const runs = new Map<string, CliRun>();
let boundMs = MIN_BOUND_MS;
beforeAll(async () => {
  const tmp = mkdtempSync(join(tmpdir(), "bad-input-"));
  for (const c of cases) if (c.generate) GENERATORS[c.generate]!(tmp);
  const jobs = [
    ...cases.map((c) => ({ key: c.name, args: commandOf(c, tmp) })),
    ...VALID.map(([name, file]) => ({ key: `valid: ${name}`, args: ["advise", "--requirements", join(FIXTURES, file), "--format", "json", "--no-input"] })),
  ];
  const results = await inPool(jobs.map((job) => () => runCli(job.args)), 3);
  jobs.forEach((job, i) => runs.set(job.key, results[i]!));
  boundMs = Math.max(MIN_BOUND_MS, 3 * Math.max(...VALID.map(([name]) => runs.get(`valid: ${name}`)!.ms)));
}, 300_000);

/** The forms people type (issue 17): each must give exactly the JSON of its canonical twin. */
const FORMS: readonly [name: string, typed: string[], canonical: string[]][] = [
  ...[
    ["percent, thousands, $, k, words for durations, yes, any case", "typed.yaml", "canonical.yaml"],
    ["one workload as text", "workload-text.yaml", "workload-text.canonical.yaml"],
    ["yes for a boolean", "bool-yes.yaml", "bool-yes.canonical.yaml"],
    ["a number in quotes (YAML)", "number-as-string.yaml", "number-as-string.canonical.yaml"],
    ["a number in quotes (JSON)", "number-as-string.json", "number-as-string.canonical.json"],
  ].map(([name, a, b]) => [name!, ["--requirements", join(FIXTURES, "valid/forms", a!)], ["--requirements", join(FIXTURES, "valid/forms", b!)]] as [string, string[], string[]]),
  ["flags: 99.95%, $5,000, 1,000, 1_000, 15 min, 1 hour, yes, Spiky, API", ["--workload", "API", "--availability", "99.95%", "--budget", "$5,000", "--concurrent-users", "1,000", "--requests-per-second", "1_000", "--rpo", "15 min", "--rto", "1 hour", "--audit-history", "yes", "--traffic-shape", "Spiky"], ["--workload", "api", "--availability", "99.95", "--budget", "5000", "--concurrent-users", "1000", "--requests-per-second", "1000", "--rpo", "15m", "--rto", "1h", "--audit-history", "true", "--traffic-shape", "spiky"]],
  ["flags: 5k, 2 hours 30 minutes, no", ["--workload", "api", "--budget", "5k", "--rto", "2 hours 30 minutes", "--audit-history", "no"], ["--workload", "api", "--budget", "5000", "--rto", "150m", "--audit-history", "false"]],
];

describe("forgiving input: the forms people type read as the canonical form", () => {
  it.each(FORMS)("%s", async (_, typed, canonical) => {
    const [a, b] = await Promise.all([typed, canonical].map((args) => runCli(["advise", ...args, "--format", "json", "--no-input"])));
    expect(a!.code, a!.stderr).toBe(0);
    expect(b!.code, b!.stderr).toBe(0);
    expect(a!.stdout).toBe(b!.stdout);
  });
});

describe("the bad-input corpus", () => {
  it("has at least 35 cases, each named once, each with a known way to run", () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.stderr.length, c.name).toBeGreaterThan(0);
      expect(c.file !== undefined || c.args !== undefined || c.generate !== undefined, c.name).toBe(true);
      if (c.generate) expect(GENERATORS[c.generate], c.name).toBeDefined();
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const run = runs.get(c.name)!;
    const context = `${c.name}\nstderr:\n${run.stderr}`;
    expect(run.signal, context).toBeNull();
    expect(run.code, context).toBe(2);
    expect(run.stdout, context).toBe("");
    for (const fragment of c.stderr) expect(run.stderr, context).toContain(fragment);
    expect(run.stderr.trimEnd().split("\n").length, context).toBeLessThanOrEqual(MAX_STDERR_LINES);
    expect(run.stderr, context).toMatch(/^aws-patterns: /);
    expect(run.stderr, context).not.toMatch(/^\s+at /m);
    expect(run.stderr, context).not.toMatch(/internal error|This is a bug/);
    // nothing from the input reaches the terminal as a control character (escape sequences, bells)
    expect(run.stderr, context).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(run.ms, context).toBeLessThan(boundMs);
  });
});

describe("valid edge cases succeed", () => {
  it.each(VALID)("%s", (name, _, expected) => {
    const run = runs.get(`valid: ${name}`)!;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { requirements: object }).requirements).toMatchObject(expected);
  });
});
