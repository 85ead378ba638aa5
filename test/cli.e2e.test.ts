import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONCRETE_IDS } from "./example-expectations.ts";
/** The contract's ids: the concrete patterns and the seven generic styles. */
const ENTRIES = CONCRETE_IDS.length + 7;

/** Runs the built CLI as a user would: no TTY, stdin closed unless given. */
function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ["bin/aws-patterns.js", ...args], {
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...options.env },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

type Json = {
  schemaVersion: number;
  requirements: Record<string, unknown>;
  recommendation: { primary: string; complements: string[] };
  ranking: { id: string; title: string; kind: string; score: number; reasons: { on: string; points: number; says: string }[]; unmet: { on: string; says: string }[] }[];
};

const examples = [...readdirSync("examples").filter((f) => f.endsWith(".yaml")).map((f) => `examples/${f}`), ...readdirSync("examples/cases").map((f) => `examples/cases/${f}`)];

describe("advise --format json keeps the contract", () => {
  it.each(examples)("%s", (file) => {
    const run = cli(["advise", "--requirements", file, "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as Json;
    expect(json.schemaVersion).toBe(1);
    expect(json.ranking).toHaveLength(ENTRIES);
    expect(new Set(json.ranking.map((e) => e.id)).size).toBe(ENTRIES);
    expect(json.recommendation.primary).toBe(json.ranking[0]!.id);
    expect(json.recommendation.complements).not.toContain(json.recommendation.primary);
    for (const [i, entry] of json.ranking.entries()) {
      expect(Number.isInteger(entry.score) && entry.score >= 0 && entry.score <= 100, `${entry.id} score`).toBe(true);
      expect(entry.reasons.reduce((s, r) => s + r.points, 0), `${entry.id} points add up`).toBe(entry.score);
      for (const r of entry.reasons) expect(r.says.length, `${entry.id} reason on ${r.on}`).toBeGreaterThan(10);
      expect(["pattern", "generic"]).toContain(entry.kind);
      if (i > 0) expect(json.ranking[i - 1]!.score).toBeGreaterThanOrEqual(entry.score);
    }
    expect(json.requirements).toHaveProperty("traffic.shape");
  });

  it("prints the same JSON twice: scoring is deterministic", () => {
    const a = cli(["advise", "-r", "examples/high-traffic-ecommerce.yaml", "--format", "json"]).stdout;
    expect(cli(["advise", "-r", "examples/high-traffic-ecommerce.yaml", "--format", "json"]).stdout).toBe(a);
  });
});

describe("advise without a terminal", () => {
  it("never prompts: with no workload it exits 2 and says how to give one", () => {
    const run = cli(["advise"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/no workload was given; pass --workload/);
  });

  it("takes everything from flags", () => {
    const run = cli(["advise", "--workload", "api", "--team-size", "2", "--budget", "150", "--format", "json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as Json;
    expect(json.requirements).toMatchObject({ workload: ["api"], team: { size: 2 }, budgetMonthlyUsd: 150 });
  });

  it("writes the design document by default when stdout is not a terminal", () => {
    const run = cli(["advise", "-r", "examples/container-cicd.yaml"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^---\nstatus: proposed\n/);
    expect(run.stdout).toMatch(/^# Use CI\/CD Pipeline for Containers/m);
  });

  it("writes a plain report with no colour codes with --format text", () => {
    const run = cli(["advise", "-r", "examples/container-cicd.yaml", "--format", "text"]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expect(run.stdout).toMatch(/^Ranking$/m);
    expect(run.stdout).toMatch(/Primary: .*\(container-cicd\)/);
  });

  it("gives exit 2 with the field and line for bad requirements, and nothing on stdout", () => {
    const run = cli(["advise", "-r", "test/fixtures/requirements/typo-key.yaml", "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('typo-key.yaml › trafic (line 3): unknown key; did you mean "traffic"?');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("advise --out", () => {
  it("writes the design document to the file, atomically, and says so on stderr", () => {
    const dir = mkdtempSync(join(tmpdir(), "out-"));
    const run = cli(["advise", "-r", "examples/multi-region-dr.yaml", "--out", join(dir, "docs/adr/0001-architecture.md")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/Wrote the design document to .*0001-architecture\.md/);
    const doc = readFileSync(join(dir, "docs/adr/0001-architecture.md"), "utf8");
    expect(doc).toMatch(/^---\nstatus: proposed/);
    // the picture beside it, shown in it (nothing else: no temporary file left)
    expect(readdirSync(join(dir, "docs/adr")).sort()).toEqual(["0001-architecture.md", "0001-architecture.svg"]);
    expect(doc).toContain("![Architecture](0001-architecture.svg)");
  });

  it("writes JSON with --format json", () => {
    const dir = mkdtempSync(join(tmpdir(), "out-"));
    expect(cli(["advise", "-r", "examples/multi-region-dr.yaml", "--format", "json", "--out", join(dir, "a.json")]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "a.json"), "utf8"))).toMatchObject({ schemaVersion: 1 });
  });

  it("writes the next numbered decision record into a folder, and refuses a folder for JSON, with exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "out-"));
    const record = cli(["advise", "-r", "examples/multi-region-dr.yaml", "--out", dir]);
    expect(record.code, record.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["0001-payments-ledger-dr.md", "0001-payments-ledger-dr.svg"]);
    const run = cli(["advise", "-r", "examples/multi-region-dr.yaml", "--format", "json", "--out", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is a folder; --out takes a file path/);
  });
});

describe("usage errors", () => {
  it.each([
    [["advse"], /unknown command 'advse'[\s\S]*Did you mean advise\?/],
    [["advise", "--wrkload", "api"], /unknown option '--wrkload'[\s\S]*Did you mean --workload\?/],
    [["show", "serverles"], /unknown pattern id "serverles"; did you mean "serverless"\?/],
    [["advise", "--workload", "api", "--format", "yaml"], /--format.*yaml.*invalid|Allowed choices are text, json/],
  ])("%j exits 2", (args, message) => {
    const run = cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });
});

describe("list, show, schema, --help, --version", () => {
  it(`lists the ${ENTRIES} entries`, () => {
    expect(cli(["list"]).stdout.trim().split("\n")).toHaveLength(ENTRIES);
    const json = JSON.parse(cli(["list", "--format", "json"]).stdout) as { id: string; kind: string }[];
    expect(json.map((e) => e.kind).filter((k) => k === "generic")).toHaveLength(7);
  });

  it("shows one entry with its services, diagram and trade-offs", () => {
    const run = cli(["show", "serverless"]);
    expect(run.code).toBe(0);
    for (const heading of ["Problem", "Services", "Diagram", "Why it works", "Trade-offs", "Envelope (as designed)"]) expect(run.stdout).toContain(heading);
    expect(run.stdout).toMatch(/Amazon API Gateway \(HTTP API\) ──invoke──► AWS Lambda/);
  });

  it("prints one entry's diagram as Mermaid", () => {
    const run = cli(["show", "cache-aside", "--format", "mermaid"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^flowchart LR\n/);
    expect(run.stdout).toMatch(/n\d+\["Amazon ElastiCache/);
  });

  it("prints a JSON Schema that requires only the workload", () => {
    const schema = JSON.parse(cli(["schema"]).stdout) as { required: string[]; properties: Record<string, { default?: unknown }> };
    expect(schema.required).toEqual(["workload"]);
    expect(schema.properties.availability?.default).toBe(99.9);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["name", "traffic", "rpo", "rto", "compliance", "budgetMonthlyUsd", "data", "team", "batch"]));
  });

  it.each([[[]], [["advise"]], [["list"]], [["show"]], [["schema"]]])("%j --help exits 0", (args) => {
    const run = cli([...args, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: aws-patterns/);
  });

  it("prints its version", () => {
    const run = cli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
