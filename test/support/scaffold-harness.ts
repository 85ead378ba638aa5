import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Proves a scaffold the way a user would use it, with the packages installed in this repo (no npm
 * install per app): the built CLI writes the app under .tmp/ (so Node finds this repo's
 * node_modules), then TypeScript type-checks it, the real CDK CLI synthesizes it (CloudFormation
 * validation and cdk-nag on), and its own vitest suite runs.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const bin = (path: string) => join(ROOT, "node_modules", path);

export type Step = { ok: boolean; output: string; ms: number };
export type Acknowledgement = { path: string; id: string; rule: string; reason: string };
export type ScaffoldCheck = {
  dir: string;
  scaffold: Step;
  typecheck?: Step;
  synth?: Step;
  tests?: Step;
  /** resource types in the synthesized template(s) */
  resourceTypes: Set<string>;
  /** every acknowledgement in the synthesized app, as recorded in the cloud assembly's metadata */
  acknowledgements: Acknowledgement[];
  readme: string;
  /** the synthesized templates, by file name in cdk.out */
  templates: Record<string, CfnTemplate>;
};
export type CfnTemplate = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

export function run(command: string, args: string[], cwd: string, timeoutMs = 480_000): Promise<Step> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: "true", FORCE_COLOR: "0", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ ok: code === 0, output: output.split("\n").filter((l) => !l.includes('Unknown user config "nodedir"')).join("\n"), ms: Date.now() - started });
    });
  });
}

export async function checkScaffold(id: string, extraArgs: string[] = [], label = id): Promise<ScaffoldCheck> {
  const dir = join(ROOT, ".tmp", "scaffolds", label);
  rmSync(dir, { recursive: true, force: true });
  return proveApp(dir, await run(process.execPath, [join(ROOT, "bin/aws-patterns.js"), "scaffold", id, "--out", dir, ...extraArgs], ROOT));
}

/**
 * `advise --requirements <file> --scaffold <dir> --format json`, then the same proof as a scaffold.
 * `advice` is the JSON advice (stdout), `scaffold.output` what the command said on stderr.
 */
export async function checkAdvisedApp(requirementsFile: string, label: string): Promise<ScaffoldCheck & { advice?: { recommendation: { primary: string; complements: string[] } } }> {
  const dir = join(ROOT, ".tmp", "advised", label);
  rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  const step = await runSplit(process.execPath, [join(ROOT, "bin/aws-patterns.js"), "advise", "--requirements", requirementsFile, "--scaffold", dir, "--format", "json", "--no-input"], ROOT);
  const check = await proveApp(dir, { ok: step.ok, output: step.stderr, ms: Date.now() - started });
  return { ...check, advice: step.ok ? JSON.parse(step.stdout) : undefined };
}

/**
 * Type-check, synthesize and test the app in `dir` (written by `first`), collecting what synth
 * produced. `tests: false` skips the app's own test suite.
 */
export async function proveApp(dir: string, first: Step, { tests = true }: { tests?: boolean } = {}): Promise<ScaffoldCheck> {
  const check: ScaffoldCheck = { dir, scaffold: first, resourceTypes: new Set(), acknowledgements: [], readme: "", templates: {} };
  if (!check.scaffold.ok) return check;
  const name = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name;
  check.readme = readFileSync(join(dir, "README.md"), "utf8");
  check.typecheck = await run(process.execPath, [bin("typescript/bin/tsc"), "-p", dir], dir);
  check.synth = await run(process.execPath, [bin("aws-cdk/bin/cdk"), "synth", "--quiet", "--no-notices", "--app", `${process.execPath} ${bin("tsx/dist/cli.mjs")} bin/${name}.ts`], dir);
  const out = join(dir, "cdk.out");
  if (existsSync(out)) {
    for (const file of readdirSync(out).filter((f) => f.endsWith(".metadata.json"))) {
      const metadata = JSON.parse(readFileSync(join(out, file), "utf8")) as Record<string, { type: string; data: unknown }[]>;
      for (const [path, entries] of Object.entries(metadata)) {
        for (const entry of entries.filter((e) => e.type === "aws:cdk:acknowledged-rules")) {
          for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
            const id = key.replace(/^Annotation::/, "");
            check.acknowledgements.push({ path, id, rule: id.replace(/\[.*$/, ""), reason });
          }
        }
      }
    }
    for (const file of readdirSync(out).filter((f) => f.endsWith(".template.json"))) {
      const template = JSON.parse(readFileSync(join(out, file), "utf8")) as CfnTemplate;
      check.templates[file] = template;
      for (const resource of Object.values(template.Resources ?? {})) check.resourceTypes.add(resource.Type);
    }
  }
  if (tests) check.tests = await run(process.execPath, [bin("vitest/vitest.mjs"), "run"], dir);
  return check;
}

function runSplit(command: string, args: string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: "true", FORCE_COLOR: "0", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ ok: code === 0, stdout, stderr }));
  });
}
