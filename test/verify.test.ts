import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";
import { sarifErrors } from "./support/sarif.ts";

/** `verify` on infrastructure not written by aws-patterns, its outputs, and decisions that move. */
const temp = () => mkdtempSync(join(tmpdir(), "verify-"));
type Report = { holds: boolean; findings: { rule: string; requirement: string; status: string; resource?: { logicalId: string; stack: string } }[] };

describe("verify", () => {
  it("checks a hand-written CloudFormation YAML template (short-form tags) against requirements", async () => {
    const run = await runCli(["verify", "--template", "test/fixtures/verify/plain.yaml", "-r", "test/fixtures/verify/requirements.yaml", "--format", "json"]);
    expect(run.code, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    const failed = report.findings.filter((f) => f.status === "fail").map((f) => `${f.rule}:${f.resource?.logicalId}`);
    expect(failed).toContain("RdsInstanceIsMultiAz:Database");
    expect(failed).toContain("BackupsCoverRetention:Database");
    expect(failed).not.toContain("TablesHavePointInTimeRecovery:Orders");
    expect(failed).not.toContain("DataStoresEncryptedWithKms:Orders");
    // no validation report in a plain template: the nag evidence is not checked, and --strict fails it
    expect(report.findings.find((f) => f.rule === "NagPacksRanClean")?.status).toBe("unknown");
  });

  it("checks a hand-written CDK app (not from our templates), synthesized here, nested stack included", async () => {
    const out = join(temp(), "cdk.out");
    const synth = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "test/fixtures/verify/cdk-app/app.ts", out], { encoding: "utf8" });
    expect(synth.status, synth.stderr).toBe(0);
    const run = await runCli(["verify", "--assembly", out, "-r", "test/fixtures/verify/requirements.yaml", "--format", "json"]);
    expect(run.code, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    const outcome = (rule: string, id: RegExp) => report.findings.filter((f) => f.rule === rule && id.test(f.resource?.logicalId ?? "")).map((f) => f.status);
    // the cache and the table live in the nested stack, found by the asset hash in its TemplateURL
    expect(report.findings.find((f) => f.rule === "CacheFailsOverAcrossAzs")?.resource?.stack).toMatch(/^Shop\/DataNestedStack/);
    expect(outcome("CacheFailsOverAcrossAzs", /^Cache$/)).toEqual(["fail"]);
    expect(outcome("DataStoresEncryptedWithKms", /^Orders/)).toEqual(["fail"]);
    expect(outcome("DataStoresEncryptedWithKms", /^Jobs/)).toEqual(["pass"]);
    expect(outcome("TablesHavePointInTimeRecovery", /^Orders/)).toEqual(["pass"]);
    expect(outcome("FleetSpansTwoAzs", /^Web/)).toEqual(["pass"]);
  }, 120_000);

  it("reads a cloud assembly's nested stacks by their asset metadata", async () => {
    const run = await runCli(["verify", "--assembly", "test/fixtures/verify/assembly", "-r", "test/fixtures/verify/requirements.yaml", "--format", "json"]);
    const report = JSON.parse(run.stdout) as Report;
    const cache = report.findings.find((f) => f.rule === "CacheFailsOverAcrossAzs");
    expect(cache?.status).toBe("fail");
    expect(cache?.resource?.stack).toBe("Shop/Data");
    expect(report.findings.find((f) => f.rule === "FleetSpansTwoAzs")?.status).toBe("pass");
  });

  it("writes SARIF 2.1.0 with one result per failed check, located at the resource", async () => {
    const run = await runCli(["verify", "--template", "test/fixtures/verify/plain.yaml", "-r", "test/fixtures/verify/requirements.yaml", "--format", "sarif"]);
    expect(run.code).toBe(3);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: { name: string }[] }[] }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarifErrors(sarif), "valid against the SARIF 2.1.0 schema").toEqual([]);
    const [runLog] = sarif.runs;
    const multiAz = runLog!.results.find((r) => r.ruleId === "RdsInstanceIsMultiAz")!;
    expect(runLog!.tool.driver.rules[multiAz.ruleIndex]!.id).toBe("RdsInstanceIsMultiAz");
    expect(multiAz.level).toBe("error");
    expect(multiAz.locations[0]!.logicalLocations[0]!.name).toBe("Database");
    expect(multiAz.locations[0]!.physicalLocation.artifactLocation.uri).toBe("test/fixtures/verify/plain.yaml");
    const line = readFileSync("test/fixtures/verify/plain.yaml", "utf8").split("\n")[multiAz.locations[0]!.physicalLocation.region.startLine - 1];
    expect(line).toMatch(/^\s*Database:/);
    expect(runLog!.results.every((r) => r.level === "error")).toBe(true);
  });

  it("exits 3 and names the new primary when changed requirements favour another entry", async () => {
    const dir = temp();
    const adr = join(dir, "0001-shop.md");
    expect((await runCli(["advise", "-r", "examples/high-traffic-ecommerce.yaml", "--no-input", "--out", adr])).code).toBe(0);
    expect((await runCli(["verify", adr])).code).toBe(0);
    const moved = await runCli(["verify", adr, "-r", "examples/cost-optimized-batch.yaml"]);
    expect(moved.code).toBe(3);
    expect(moved.stdout).toMatch(/DecisionStillRanksFirst[\s\S]*now give cost-optimized-batch/);
  });

  it("refuses bad input with exit 2: no record, no template, a folder as template", async () => {
    expect((await runCli(["verify"])).code).toBe(2);
    const missing = await runCli(["verify", "--template", "nope.yaml", "-r", "test/fixtures/verify/requirements.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml/);
  });
});

describe("a decision log: advise --out DIR/", () => {
  it("numbers records, supersedes a changed decision for the same system, and verify checks only those in force", async () => {
    const dir = join(temp(), "adr") + "/";
    const write = (args: string[]) => runCli(["advise", ...args, "--no-input", "--out", dir]);
    expect((await write(["-r", "examples/high-traffic-ecommerce.yaml"])).code).toBe(0);
    expect((await write(["-r", "examples/cost-optimized-batch.yaml"])).code).toBe(0);
    // the shop again, with requirements that change its decision
    const third = await write(["-r", "examples/high-traffic-ecommerce.yaml", "--rto", "15m", "--budget", "100000"]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/0003-black-friday-shop\.md, superseding 0001-black-friday-shop\.md/);
    const files = readdirSync(dir).sort();
    // each record with its picture beside it
    expect(files).toEqual(["0001-black-friday-shop.md", "0002-genomics-nightly.md", "0003-black-friday-shop.md"].flatMap((f) => [f, f.replace(/\.md$/, ".svg")]).sort());
    const first = readFileSync(join(dir, "0001-black-friday-shop.md"), "utf8");
    expect(first).toMatch(/^status: superseded by 0003$/m);
    expect(readFileSync(join(dir, "0003-black-friday-shop.md"), "utf8")).toMatch(/^Supersedes \[0001\]\(0001-black-friday-shop\.md\)\.$/m);
    const run = await runCli(["verify", dir, "--format", "json"]);
    expect(run.code, run.stdout).toBe(0);
    const records = new Set((JSON.parse(run.stdout) as { findings: { record?: string }[] }).findings.map((f) => f.record));
    expect([...records].map((r) => r?.replace(/^.*\//, "")).sort()).toEqual(["0002-genomics-nightly.md", "0003-black-friday-shop.md"]);
  });
});

describe("diff BEFORE AFTER", () => {
  it("shows the changed requirements, the moved recommendation, the cost change and the verdicts that flip, in text, md and json", async () => {
    const dir = temp();
    const after = join(dir, "after.yaml");
    expect((await runCli(["advise", "-r", "examples/high-traffic-ecommerce.yaml", "--rto", "15m", "--budget", "100000", "--no-input", "--format", "json", "--save", after])).code).toBe(0);
    const json = await runCli(["diff", "examples/high-traffic-ecommerce.yaml", after, "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const d = JSON.parse(json.stdout) as {
      requirements: { on: string; before: unknown; after: unknown }[];
      recommendation: { changed: boolean; after: { complements: string[] } };
      cost: { before: number; after: number; change: number };
      verdicts: { on: string; before: string; after: string }[];
    };
    expect(d.requirements.map((r) => r.on).sort()).toEqual(["budgetMonthlyUsd", "rto"]);
    expect(d.recommendation.changed).toBe(true);
    expect(d.recommendation.after.complements).toContain("multi-region-dr");
    expect(d.cost.change).toBeCloseTo(d.cost.after - d.cost.before, 1);
    expect(d.verdicts.find((v) => v.on === "rto")).toMatchObject({ after: "met with complement" });
    const md = await runCli(["diff", "examples/high-traffic-ecommerce.yaml", after, "--format", "md"]);
    expect(md.stdout).toMatch(/^\| RTO \| 1h \| 15m \|$/m);
    const same = await runCli(["diff", after, after]);
    expect(same.stdout).toMatch(/No stated requirement changed\./);
    expect(same.stdout).toMatch(/Verdicts that flip\n\n {0,2}None\./);
  });
});

describe("the documented CI workflow", () => {
  it("uses only commands and flags the CLI has, and runs its aws-patterns steps on a decision log", async () => {
    const workflow = parse(readFileSync("examples/ci/github-actions.yml", "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const commands = Object.values(workflow.jobs)
      .flatMap((j) => j.steps.map((s) => s.run ?? ""))
      .flatMap((run) => [...run.matchAll(/npx aws-patterns ([a-z]+)((?: [^|>&;\n]+)?)/g)].map((m) => ({ command: m[1]!, args: m[2]!.trim().split(/\s+/) })));
    expect(commands.map((c) => c.command).sort()).toEqual(["diff", "verify", "verify"]);
    for (const { command, args } of commands) {
      const help = await runCli([command, "--help"]);
      expect(help.code).toBe(0);
      for (const flag of args.filter((a) => a.startsWith("--"))) expect(help.stdout, `${command} ${flag}`).toContain(flag);
    }
    // the verify step, as written, on a decision log whose record holds
    const dir = temp();
    expect((await runCli(["advise", "-r", "examples/cases/mvp-api.yaml", "--no-input", "--out", join(dir, "docs/adr") + "/"])).code).toBe(0);
    const run = await runCli(["verify", join(dir, "docs/adr/"), "--assembly", "test/fixtures/verify/assembly", "--format", "sarif"]);
    expect(run.code, run.stdout).toBe(0);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe("2.1.0");
    // a log with no failure is still a valid log, with an empty result list
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(sarifErrors(sarif)).toEqual([]);
  });
});
