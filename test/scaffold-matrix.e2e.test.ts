import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { deriveSettings, noSettings } from "../src/render/scaffold-settings.ts";
import { templatesDir } from "../src/render/templates.ts";
import { assessDraft, draftRequirements } from "../src/requirements/resolve.ts";
import { requirementsSchema } from "../src/requirements/schema.ts";
import { measureAccountLimits } from "../src/verify/account-limits.ts";
import { checkInfrastructure } from "../src/verify/check.ts";
import { readAssembly } from "../src/verify/templates.ts";
import { MUTATIONS } from "./support/mutations.ts";
import { runCli } from "./support/run-cli.ts";
import { run } from "./support/scaffold-harness.ts";

/**
 * Every scaffold, plain and tuned by every requirement set in test/fixtures/scaffold-sets/, is
 * synthesized (its own cdk-nag packs on) and then held to four things:
 * - synth passes: no unacknowledged cdk-nag error under the packs the set's compliance asks for;
 * - the app fits the default account quotas of limits/account-limits.yaml, per Region;
 * - cfn-lint finds no error, and no warning outside test/cfn-lint-allow.yaml;
 * - `verify` holds on the assembly against the record `advise --out` wrote for the set, and each
 *   mutation that removes something the requirements ask for is caught, naming the requirement and
 *   the resource.
 * Type-checking and the apps' own tests run in scaffold.e2e and advise-scaffold.e2e; here the apps
 * are synthesized in one process per template (test/support/synth-apps.ts), which loads aws-cdk-lib once.
 */
const ROOT = resolve(import.meta.dirname, "..");
const SETS_DIR = "test/fixtures/scaffold-sets";
const SETS = readdirSync(SETS_DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, "")).sort();
const catalog = await loadCatalog();
const TEMPLATES = catalog.filter((p) => existsSync(join(templatesDir(), "cdk", p.id))).map((p) => p.id);
const ALLOWED = parse(readFileSync("test/cfn-lint-allow.yaml", "utf8")) as { rule: string; where: string; reason: string }[];
const WORK = join(ROOT, ".tmp", "matrix");

type Lint = { Rule: { Id: string }; Filename: string; Message: string; Location: { Path: unknown[] } };
const tally = { applicable: 0, caught: 0, missed: [] as string[], quotas: 0 };

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  // one decision record per set, as a team would commit it
  for (const set of SETS) {
    const out = await runCli(["advise", "-r", join(SETS_DIR, `${set}.yaml`), "--no-input", "--out", join(WORK, "records", `${set}.md`)]);
    expect(out.code, out.stderr).toBe(0);
  }
}, 120_000);

describe("cfn-lint is on this machine", () => {
  it("runs", () => {
    const version = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
    expect(version.status, "cfn-lint must be on PATH (pip install cfn-lint); .ci/run checks for it").toBe(0);
    for (const a of ALLOWED) expect(a.reason.length, `${a.rule} has a reason`).toBeGreaterThan(20);
  });
});

describe.concurrent("every scaffold, plain and tuned by every scaffold set", () => {
  it.each(TEMPLATES.map((id) => [id]))("%s", async (id) => {
    const apps = ["plain", ...SETS].map((set) => ({ set, dir: join(WORK, id, set) }));
    for (const { set, dir } of apps) {
      const step = await run(process.execPath, [join(ROOT, "bin/aws-patterns.js"), "scaffold", id, ...(set === "plain" ? [] : ["--requirements", join(SETS_DIR, `${set}.yaml`)]), "--out", dir], ROOT);
      expect(step.ok, step.output).toBe(true);
    }
    const synth = await run(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "test/support/synth-apps.ts"), ...apps.map((a) => a.dir)], ROOT, 600_000);
    const results = synth.output.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { dir: string; ok: boolean; error?: string });
    expect(results.filter((r) => !r.ok).map((r) => `${r.dir}: ${r.error}`)).toEqual([]);
    expect(results).toHaveLength(apps.length);

    const templateFiles: string[] = [];
    for (const { set, dir } of apps) {
      const infrastructure = readAssembly(join(dir, "cdk.out"));
      templateFiles.push(...readdirSync(join(dir, "cdk.out")).filter((f) => f.endsWith(".template.json")).map((f) => join(dir, "cdk.out", f)));
      // the default account quotas, per Region
      const over = measureAccountLimits(infrastructure).filter((u) => u.used > u.allowed);
      tally.quotas += 1;
      expect.soft(over.map((u) => `${set}: ${u.limit.quota} in ${u.region}: ${u.used} > ${u.allowed}`)).toEqual([]);

      // verify holds: the set's record through the CLI; a plain scaffold asks nothing, so only the rules that always apply
      if (set === "plain") {
        const failed = checkInfrastructure(requirementsSchema.parse({ workload: ["other"] }), infrastructure, undefined, noSettings().settings).filter((f) => f.status === "fail");
        expect.soft(failed.map((f) => `${f.rule} ${f.resource?.logicalId}: ${f.says}`)).toEqual([]);
        continue;
      }
      const holds = await runCli(["verify", join(WORK, "records", `${set}.md`), "--assembly", join(dir, "cdk.out"), "--format", "json"]);
      const report = JSON.parse(holds.stdout || "{}") as { findings?: { rule: string; status: string; says: string; resource?: { logicalId: string } }[] };
      expect.soft((report.findings ?? []).filter((f) => f.status === "fail").map((f) => `${set}: ${f.rule} ${f.resource?.logicalId ?? ""}: ${f.says}`), holds.stderr).toEqual([]);
      expect.soft(holds.code, `${set}: ${holds.stderr}`).toBe(0);

      // each mutation of what the set asks for is caught, naming the requirement and the resource
      const requirements = assessDraft(draftRequirements(join(SETS_DIR, `${set}.yaml`), {})).requirements;
      const asked = deriveSettings(requirements).settings;
      for (const mutation of MUTATIONS) {
        const mutated = readAssembly(join(dir, "cdk.out"));
        const where = mutation.apply(mutated);
        if (where === undefined || !mutation.asks(asked)) continue;
        tally.applicable += 1;
        const failed = checkInfrastructure(requirements, mutated).filter((f) => f.status === "fail");
        if (failed.some((f) => f.requirement === mutation.requirement && (f.resource?.logicalId === where || f.resource === undefined))) tally.caught += 1;
        else tally.missed.push(`${id} × ${set}: ${mutation.name} on ${where}`);
      }
    }

    // cfn-lint over every synthesized template of this scaffold, in one run
    const lint = spawnSync("cfn-lint", ["--format", "json", "--", ...templateFiles], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(lint.error, "cfn-lint could not run").toBeUndefined();
    const findings = JSON.parse(lint.stdout || "[]") as Lint[];
    const unexpected = findings.filter((f) => !ALLOWED.some((a) => a.rule === f.Rule.Id && (a.where === "*" || a.where === id)));
    expect(unexpected.map((f) => `${f.Rule.Id} ${f.Filename.replace(WORK, "")} ${f.Location.Path.join(".")}: ${f.Message}`)).toEqual([]);
  }, 900_000);
});

afterAll(() => {
  process.stdout.write(`scaffold matrix: ${TEMPLATES.length} templates × ${SETS.length + 1} settings; verify mutations caught ${tally.caught} of ${tally.applicable} applicable\n`);
  expect(tally.missed).toEqual([]);
});
