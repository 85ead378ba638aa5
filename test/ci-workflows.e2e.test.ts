import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sarifErrors } from "./support/sarif.ts";

/**
 * The two workflows we hand users, run for real: every `run:` step, in order, as GitHub Actions
 * would run it (bash -e, the step's env, $GITHUB_OUTPUT, its `if:`), in a temporary git repository
 * that holds an app `advise --scaffold` wrote, its decision record, and aws-patterns packed from
 * this repository as the app's devDependency. A pull request then changes requirements.yaml.
 * - the generated app's .github/workflows/ci.yml: npm ci, cdk synth, npm test, cfn-lint;
 * - examples/ci/github-actions.yml: npm ci, cdk synth, verify to SARIF, the diff comment, the gate.
 * `uses:` steps are GitHub's own actions (checkout, setup-node, upload-sarif): the repository is
 * already checked out, Node is this one, and the SARIF they would upload is validated here
 * against the SARIF 2.1.0 schema. `gh` is the one command replaced, by a recorder: there is no
 * GitHub here. Needs the npm registry (or a warm npm cache) for the app's packages.
 */
const ROOT = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "aws-patterns-ci-"));
const repo = join(work, "repo");
const cli = (args: string[], cwd = ROOT) => execFileSync(process.execPath, [join(ROOT, "bin/aws-patterns.js"), ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

type Step = { name?: string; id?: string; if?: string; run?: string; uses?: string; env?: Record<string, string> };
type Workflow = { jobs: Record<string, { steps: Step[] }> };
type Ran = { step: string; code: number | null; output: string };

/** What `${{ ... }}` expressions of the workflows mean in this run. */
const CONTEXT: Record<string, string> = { "github.token": "test-token", "github.base_ref": "main", "github.event.number": "7" };

/**
 * Runs a workflow's job the way the Actions runner would, for the expressions and conditions these
 * workflows use; any other `if:` or expression fails the test, so the workflow cannot drift into
 * something this runner would silently skip.
 */
function runJob(file: string, env: NodeJS.ProcessEnv): Ran[] {
  const workflow = parse(readFileSync(file, "utf8")) as Workflow;
  const [job] = Object.values(workflow.jobs);
  const outputs: Record<string, Record<string, string>> = {};
  const ran: Ran[] = [];
  let failed = false;
  const expand = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (!(expr in CONTEXT)) throw new Error(`${file}: no value for the expression ${expr}`);
      return CONTEXT[expr]!;
    });
  for (const step of job!.steps) {
    const condition = step.if?.trim();
    let runs = !failed;
    if (condition === "always()") runs = true;
    else if (condition !== undefined) {
      const m = /^steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'$/.exec(condition);
      if (m === null) throw new Error(`${file}: the test runner does not know the condition ${condition}`);
      runs = !failed && outputs[m[1]!]?.[m[2]!] === m[3];
    }
    if (!runs || step.run === undefined) continue;
    const outputFile = join(work, `output-${ran.length}`);
    writeFileSync(outputFile, "");
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))]));
    const result = spawnSync("bash", ["-e", "-c", expand(step.run)], { cwd: repo, env: { ...env, ...stepEnv, GITHUB_OUTPUT: outputFile, CI: "true" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const name = step.name ?? step.run.split("\n")[0]!;
    ran.push({ step: name, code: result.status, output: `${result.stdout}\n${result.stderr}`.split("\n").slice(-40).join("\n") });
    if (step.id) outputs[step.id] = Object.fromEntries(readFileSync(outputFile, "utf8").split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    if (result.status !== 0) failed = true;
  }
  return ran;
}

let env: NodeJS.ProcessEnv;

beforeAll(() => {
  // aws-patterns as a user installs it: packed from this repository
  mkdirSync(join(work, "pack"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", join(work, "pack")], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as { filename: string }[];
  // the app, its requirements and its decision record, committed on main
  cli(["advise", "-r", "test/fixtures/ci/requirements.yaml", "--scaffold", repo, "--no-input", "--format", "json"]);
  copyFileSync("test/fixtures/ci/requirements.yaml", join(repo, "requirements.yaml"));
  cli(["advise", "-r", join(repo, "requirements.yaml"), "--no-input", "--out", join(repo, "docs/adr") + "/"]);
  const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  manifest.devDependencies["aws-patterns"] = `file:${join(work, "pack", packed!.filename)}`;
  writeFileSync(join(repo, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: repo, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@example.com");
  git("config", "user.name", "CI");
  git("add", "-A");
  git("commit", "-q", "-m", "orders-api and its decision");
  execFileSync("git", ["init", "-q", "--bare", join(work, "origin.git")]);
  git("remote", "add", "origin", join(work, "origin.git"));
  git("push", "-q", "origin", "main");
  // the pull request: a tighter RTO
  git("checkout", "-q", "-b", "tighter-rto");
  writeFileSync(join(repo, "requirements.yaml"), readFileSync(join(repo, "requirements.yaml"), "utf8").replace("rto: 4h", "rto: 15m"));
  git("commit", "-q", "-am", "RTO 15 minutes");
  // gh records what it was asked to do
  mkdirSync(join(work, "bin"));
  writeFileSync(join(work, "bin", "gh"), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" > "${work}/gh-args"\nwhile [ $# -gt 0 ]; do if [ "$1" = --body-file ]; then cp "$2" "${work}/gh-body"; fi; shift; done\n`);
  chmodSync(join(work, "bin", "gh"), 0o755);
  env = { ...process.env, PATH: `${join(work, "bin")}:${process.env.PATH}`, npm_config_audit: "false", npm_config_fund: "false", npm_config_prefer_offline: "true" };
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the workflows we hand users run green, step by step", () => {
  it("the generated app's own CI: npm ci, cdk synth with cdk-nag, npm test, cfn-lint", () => {
    const ran = runJob(join(repo, ".github/workflows/ci.yml"), env);
    expect(ran.map((r) => r.step)).toEqual(["Install", "Synthesize (cdk-nag runs at synth)", "Test", "Lint the templates (cfn-lint)"]);
    for (const r of ran) expect(r.code, `${r.step}:\n${r.output}`).toBe(0);
    expect(existsSync(join(repo, "cdk.out", "manifest.json"))).toBe(true);
  }, 900_000);

  it("examples/ci/github-actions.yml: verify to valid SARIF, the diff comment on the pull request, no failing gate", () => {
    const ran = runJob(join(ROOT, "examples/ci/github-actions.yml"), env);
    for (const r of ran) expect(r.code, `${r.step}:\n${r.output}`).toBe(0);
    expect(ran.map((r) => r.step)).toEqual(["Install", "Synthesize (cdk-nag runs at synth)", "Verify the decision", "Comment how the advice moves"]);
    // what upload-sarif would send to code scanning
    const sarif = JSON.parse(readFileSync(join(repo, "verify.sarif"), "utf8")) as unknown;
    expect(sarifErrors(sarif)).toEqual([]);
    // the comment: the diff of requirements.yaml against main
    expect(readFileSync(join(work, "gh-args"), "utf8").trim()).toBe("pr comment 7 --body-file diff.md");
    expect(readFileSync(join(work, "gh-body"), "utf8")).toMatch(/^\| RTO \| 4h \| 15m \|$/m);
  }, 900_000);
});
