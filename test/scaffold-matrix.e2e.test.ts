import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { noSettings } from "../src/render/scaffold-settings.ts";
import { templatesDir } from "../src/render/templates.ts";
import { requirementsSchema } from "../src/requirements/schema.ts";
import { measureAccountLimits } from "../src/verify/account-limits.ts";
import { checkInfrastructure } from "../src/verify/check.ts";
import { readAssembly } from "../src/verify/templates.ts";
import { tryMutations } from "./support/mutations.ts";
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
 * A problem is either fixed or listed, with its reason, in test/fixtures/matrix-known-gaps.yaml; a
 * listed gap that no longer occurs fails the test too, so the list only shrinks.
 */
const ROOT = resolve(import.meta.dirname, "..");
const SETS_DIR = "test/fixtures/scaffold-sets";
const SETS = readdirSync(SETS_DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, "")).sort();
const catalog = await loadCatalog();
const TEMPLATES = catalog.filter((p) => existsSync(join(templatesDir(), "cdk", p.id))).map((p) => p.id);
const ALLOWED = parse(readFileSync("test/cfn-lint-allow.yaml", "utf8")) as { rule: string; where: string; reason: string }[];
/** What a template does not yet deliver under a set, each with why: open work, listed so it cannot grow unseen. */
const GAPS = (parse(readFileSync("test/fixtures/matrix-known-gaps.yaml", "utf8")) ?? []) as { template: string; set: string; finding: string; reason: string }[];
const WORK = join(ROOT, ".tmp", process.env.MATRIX_WORK ?? "matrix");

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
    for (const g of GAPS) {
      expect(TEMPLATES, g.template).toContain(g.template);
      expect(g.reason.length, `${g.template} ${g.finding} has a reason`).toBeGreaterThan(30);
    }
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
    expect(results, synth.output).toHaveLength(apps.length);

    // every problem as "<set>: <check> <resource>", held to the known gaps of test/fixtures/matrix-known-gaps.yaml
    const problems: string[] = [];
    const detail: string[] = [];
    const problem = (key: string, says: string) => {
      problems.push(key);
      detail.push(`${key}: ${says}`);
    };
    const setOf = new Map(apps.map((a) => [a.dir, a.set]));
    for (const r of results.filter((x) => !x.ok)) problem(`${setOf.get(r.dir)}: synth`, r.error?.split("\n").slice(0, 6).join(" ") ?? "");
    const templateFiles: string[] = [];
    for (const { set, dir } of apps) {
      if (!existsSync(join(dir, "cdk.out", "manifest.json"))) continue;
      const infrastructure = readAssembly(join(dir, "cdk.out"));
      templateFiles.push(...readdirSync(join(dir, "cdk.out")).filter((f) => f.endsWith(".template.json")).map((f) => join(dir, "cdk.out", f)));
      // the default account quotas, per Region
      for (const u of measureAccountLimits(infrastructure).filter((x) => x.used > x.allowed)) problem(`${set}: quota ${u.limit.id} ${u.region}`, `${u.used} > ${u.allowed}`);

      // verify holds: the set's record through the CLI; a plain scaffold asks nothing, so only the rules that always apply
      if (set === "plain") {
        const failed = checkInfrastructure(requirementsSchema.parse({ workload: ["other"] }), infrastructure, undefined, noSettings().settings).filter((f) => f.status === "fail");
        for (const f of failed) problem(`${set}: ${f.rule} ${f.resource?.logicalId ?? ""}`, f.says);
        continue;
      }
      const holds = await runCli(["verify", join(WORK, "records", `${set}.md`), "--assembly", join(dir, "cdk.out"), "--format", "json"]);
      const report = JSON.parse(holds.stdout || "{}") as { holds?: boolean; findings?: { rule: string; status: string; says: string; resource?: { logicalId: string } }[] };
      expect(report.findings, holds.stderr).toBeDefined();
      for (const f of (report.findings ?? []).filter((x) => x.status === "fail")) problem(`${set}: ${f.rule} ${f.resource?.logicalId ?? ""}`, f.says);
      expect(holds.code === 0, `${set}: verify exits 0 exactly when it holds`).toBe(report.holds === true);

      // each mutation of what the set asks for is caught, naming the requirement and the resource
      const tried = tryMutations(join(SETS_DIR, `${set}.yaml`), join(dir, "cdk.out"));
      tally.applicable += tried.applicable.length;
      tally.caught += tried.applicable.length - tried.missed.length;
      tally.missed.push(...tried.missed.map((m) => `${id} × ${set}: ${m}`));
    }

    // cfn-lint over every synthesized template of this scaffold, in one run
    const lint = spawnSync("cfn-lint", ["--format", "json", "--", ...templateFiles], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(lint.error, "cfn-lint could not run").toBeUndefined();
    const findings = JSON.parse(lint.stdout || "[]") as Lint[];
    for (const f of findings.filter((x) => !ALLOWED.some((a) => a.rule === x.Rule.Id && (a.where === "*" || a.where === id))))
      problem(`${f.Filename.slice(WORK.length + id.length + 2).split("/")[0]}: cfn-lint ${f.Rule.Id} ${f.Location.Path.slice(0, 2).join(".")}`, f.Message);

    writeFileSync(join(WORK, id, "problems.txt"), detail.join("\n") + "\n");
    const known = GAPS.filter((g) => g.template === id).map((g) => `${g.set}: ${g.finding}`);
    expect(problems.filter((p) => !known.includes(p)), detail.join("\n")).toEqual([]);
    expect(known.filter((k) => !problems.includes(k)), "known gaps that no longer occur: remove them from the list").toEqual([]);
  }, 900_000);
});

afterAll(() => {
  process.stdout.write(`scaffold matrix: ${TEMPLATES.length} templates × ${SETS.length + 1} settings; verify mutations caught ${tally.caught} of ${tally.applicable} applicable\n`);
  expect(tally.missed).toEqual([]);
});
