import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";

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

  it("reads a cloud assembly's nested stacks", async () => {
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
