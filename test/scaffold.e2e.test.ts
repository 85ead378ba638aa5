import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { readScaffoldFacts } from "../src/render/scaffold-facts.ts";
import { templatesDir } from "../src/render/templates.ts";
import { CONCRETE_IDS } from "./example-expectations.ts";
import { checkScaffold, run } from "./support/scaffold-harness.ts";

const cli = (args: string[]) => spawnSync(process.execPath, ["bin/aws-patterns.js", ...args], { encoding: "utf8", input: "" });
const catalog = await loadCatalog();

describe("scaffold: safety", () => {
  it("--dry-run lists the files and writes nothing", () => {
    const parent = mkdtempSync(join(tmpdir(), "dry-"));
    const run = cli(["scaffold", "serverless-image-processing", "--out", join(parent, "app"), "--dry-run"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Would write \d+ files to /);
    expect(run.stdout).toContain("  lib/serverless-image-processing-stack.ts");
    expect(readdirSync(parent)).toEqual([]);
  });

  it("refuses a non-empty folder without --force: exit 2, nothing touched", () => {
    const target = mkdtempSync(join(tmpdir(), "full-"));
    writeFileSync(join(target, "package.json"), "mine");
    const run = cli(["scaffold", "serverless-image-processing", "--out", target]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/is not empty .*nothing was written/);
    expect(run.stderr).toMatch(/--force/);
    expect(readdirSync(target)).toEqual(["package.json"]);
    expect(readFileSync(join(target, "package.json"), "utf8")).toBe("mine");
  });

  it.each([['x"; process.exit(1); "'], ["../escape"], ["Acme"], ["a--b"], ["-a"]])("refuses the name %j with exit 2", (name) => {
    const parent = mkdtempSync(join(tmpdir(), "name-"));
    const run = cli(["scaffold", "serverless-image-processing", "--out", join(parent, "app"), "--name", name]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--name: expected kebab-case/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("suggests the nearest id for an unknown one", () => {
    const run = cli(["scaffold", "serverles-image-processing"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/did you mean "serverless-image-processing"\?/);
  });
});

describe("scaffold: what the generated app pins", () => {
  it("pins the versions this suite synthesizes with, and cdk init's feature flags for that aws-cdk-lib", async () => {
    const parent = mkdtempSync(join(tmpdir(), "pins-"));
    expect(cli(["scaffold", "serverless-image-processing", "--out", join(parent, "app"), "--name", "pins"]).status).toBe(0);
    const facts = readScaffoldFacts();
    const pkg = JSON.parse(readFileSync(join(parent, "app/package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ "aws-cdk-lib": facts.versions["aws-cdk-lib"], "cdk-nag": facts.versions["cdk-nag"], constructs: facts.versions.constructs });
    expect(pkg.devDependencies["aws-cdk"]).toBe(facts.versions["aws-cdk"]);
    expect(pkg.dependencies["cdk-nag"]).toMatch(/^3\./);
    // the CDK CLI from devDependencies writes what a brand-new app gets; ours must carry the same flags
    const init = join(parent, "init-app");
    mkdirSync(init);
    const step = await run(process.execPath, [join(process.cwd(), "node_modules/aws-cdk/bin/cdk"), "init", "app", "--language", "typescript", "--generate-only"], init);
    expect(step.ok, step.output).toBe(true);
    const ours = JSON.parse(readFileSync(join(parent, "app/cdk.json"), "utf8")) as { context: object };
    const theirs = JSON.parse(readFileSync(join(init, "cdk.json"), "utf8")) as { context: object };
    expect(ours.context).toEqual(theirs.context);
  });
});

/** Type-check, synth with validation and cdk-nag, and a vitest run: about 25 s alone, more on 2 busy cores. */
const SCAFFOLD_TIMEOUT_MS = 900_000;
const SCAFFOLDED = catalog.filter((p) => existsSync(join(templatesDir(), "cdk", p.id))).map((p) => p.id);

describe("scaffold: coverage", () => {
  it("has a template for every catalog entry, concrete and generic, and each lists the resource types it must contain", () => {
    expect(catalog).toHaveLength(CONCRETE_IDS.length + 7);
    expect(catalog.map((p) => p.id).filter((id) => !SCAFFOLDED.includes(id))).toEqual([]);
    for (const p of catalog) expect(p.scaffold?.resources.length, p.id).toBeGreaterThan(0);
    expect(CONCRETE_IDS.every((id) => SCAFFOLDED.includes(id))).toBe(true);
  });
});

describe.concurrent("scaffold: every pattern with a template synthesizes offline, passes cdk-nag and its own tests", () => {
  it.each(SCAFFOLDED.map((id) => [id]))("%s", async (id) => {
    const check = await checkScaffold(id);
    const explain = (step: { output: string } | undefined) => step?.output.split("\n").slice(-40).join("\n") ?? "not run";
    expect(check.scaffold.ok, check.scaffold.output).toBe(true);
    expect(check.typecheck?.ok, explain(check.typecheck)).toBe(true);
    expect(check.synth?.ok, explain(check.synth)).toBe(true);
    const wanted = catalog.find((p) => p.id === id)?.scaffold?.resources ?? [];
    expect(wanted.length, "the catalog lists the resource types").toBeGreaterThan(0);
    expect(wanted.filter((type) => !check.resourceTypes.has(type))).toEqual([]);
    for (const a of check.acknowledgements) {
      expect(a.reason.length, `${a.id} at ${a.path} has a specific reason`).toBeGreaterThan(40);
      expect(check.readme, `${a.rule} is explained in the README`).toContain(a.rule);
    }
    expect(check.tests?.ok, explain(check.tests)).toBe(true);
  }, SCAFFOLD_TIMEOUT_MS);
});

/** A template that claims a compliance mode proves it: every setting at once, all three packs on. */
const EVERYTHING = "test/fixtures/scaffold-sets/everything.yaml";
const COMPLIANT = catalog.filter((p) => (p.scaffold?.compliance.length ?? 0) > 0).map((p) => p.id);

describe.concurrent("scaffold: compliance mode passes the HIPAA, PCI DSS and NIST 800-53 packs where the catalog claims it", () => {
  it("every template claims the three regimes with a pack, which the everything set proves (no template is left unproven)", () => {
    for (const p of catalog) expect(["hipaa", "pci-dss", "soc2"].filter((r) => p.scaffold?.compliance.includes(r as never)), p.id).toEqual(["hipaa", "pci-dss", "soc2"]);
  });

  it.each(COMPLIANT.map((id) => [id]))("%s", async (id) => {
    const check = await checkScaffold(id, ["--requirements", EVERYTHING], `${id}-compliance`);
    const explain = (step: { output: string } | undefined) => step?.output.split("\n").slice(-40).join("\n") ?? "not run";
    expect(check.scaffold.ok, check.scaffold.output).toBe(true);
    expect(check.typecheck?.ok, explain(check.typecheck)).toBe(true);
    expect(check.synth?.ok, explain(check.synth)).toBe(true);
    for (const pack of ["HIPAASecurityChecks", "PCIDSS321Checks", "NIST80053R5Checks"]) expect(check.readme).toContain(`\`${pack}\``);
    for (const a of check.acknowledgements) expect(check.readme, `${a.rule} is explained in the README`).toContain(a.rule);
    expect(check.tests?.ok, explain(check.tests)).toBe(true);
  }, SCAFFOLD_TIMEOUT_MS);
});
