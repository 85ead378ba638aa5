import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { inPool, runCli } from "./support/run-cli.ts";
import { snapshot } from "./support/tree.ts";

/**
 * One journey that adds up: the same requirements from question to scaffold, one cost in every
 * output, complements only for needs the primary leaves open, and next steps that run as printed.
 */
const BIN = resolve("bin/aws-patterns.js");
const FILES = [
  ...readdirSync("examples").filter((f) => f.endsWith(".yaml")).map((f) => `examples/${f}`),
  ...readdirSync("test/fixtures/scaffold-sets").map((f) => `test/fixtures/scaffold-sets/${f}`),
];
const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;
const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

type Json = {
  requirements: { name: string };
  recommendation: { primary: string; complements: string[]; cost: { monthlyUsd: number; band: { low: number; high: number } } };
  verdicts: { on: string; primary: string; composed: string; by?: string }[];
};

describe("one journey: the three outputs agree", () => {
  it.each(FILES.map((f) => [f]))("%s", async (file) => {
    const [json, text, md] = await Promise.all(
      ["json", "text", "md"].map((format) => runCli(["advise", "-r", file, "--no-input", "--format", format], { env: { COLUMNS: "200" } })),
    );
    for (const run of [json!, text!, md!]) expect(run.code, run.stderr).toBe(0);
    const advice = JSON.parse(json!.stdout) as Json;
    const total = usd(advice.recommendation.cost.monthlyUsd);
    expect(text!.stdout).toContain(`about ${total} a month`);
    expect(md!.stdout).toContain(`**${total}**`);
    expect(md!.stdout).toMatch(new RegExp(`monthlyUsd: ${advice.recommendation.cost.monthlyUsd}\\n`));
    // no complement covers a need the primary already meets
    for (const v of advice.verdicts) if (v.by !== undefined) expect(v.primary, `${v.on} covered by ${v.by}`).toBe("unmet");
    // every chosen entry is among the considered options
    for (const id of [advice.recommendation.primary, ...advice.recommendation.complements]) expect(md!.stdout).toMatch(new RegExp(`\\(\`${id}\`\\) \\|`));
  });
});

describe("requirements travel with the decision", () => {
  it("init writes a commented file that advise accepts unchanged, refuses to overwrite, and every line of it is valid uncommented", async () => {
    const dir = temp("init-");
    const file = join(dir, "requirements.yaml");
    expect((await runCli(["init", file])).code).toBe(0);
    const run = await runCli(["advise", "-r", file, "--no-input", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { stated: object }).stated).toEqual({ name: "my-app", workload: ["web-app"] });
    const again = await runCli(["init", file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; nothing was written \(add --force/);
    const uncommented = readFileSync(file, "utf8").replace(/^# (\s*[a-zA-Z]+:)/gm, "$1");
    writeFileSync(join(dir, "all.yaml"), uncommented);
    const all = await runCli(["advise", "-r", join(dir, "all.yaml"), "--no-input", "--format", "json"]);
    expect(all.code, all.stderr).toBe(0);
    expect(Object.keys((JSON.parse(all.stdout) as { stated: object }).stated).length).toBeGreaterThan(10);
  });

  it.each(FILES.map((f) => [f]))("--save then -r gives identical JSON; -r on the written document too: %s", async (file) => {
    const dir = temp("save-");
    const saved = join(dir, "saved.yaml");
    const doc = join(dir, "0001-decision.md");
    const first = await runCli(["advise", "-r", file, "--no-input", "--format", "json", "--save", saved]);
    expect(first.code, first.stderr).toBe(0);
    expect((await runCli(["advise", "-r", file, "--no-input", "--out", doc])).code).toBe(0);
    const fromSaved = await runCli(["advise", "-r", saved, "--no-input", "--format", "json"]);
    const fromDoc = await runCli(["advise", "-r", doc, "--no-input", "--format", "json"]);
    expect(fromSaved.stdout).toBe(first.stdout);
    expect(fromDoc.stdout).toBe(first.stdout);
    const front = parse(readFileSync(doc, "utf8").split("\n---\n")[0]!.slice(4)) as { "aws-patterns": { schemaVersion: number; primary: string } };
    expect(front["aws-patterns"].schemaVersion).toBe(1);
    expect(front["aws-patterns"].primary).toBe((JSON.parse(first.stdout) as Json).recommendation.primary);
  });

  it("every next-step command, run as printed, writes the same tuned app as advise --scaffold", async () => {
    const cases: [file: string, flags: string[]][] = [
      ["test/fixtures/scaffold-sets/hipaa-clinic.yaml", []],
      ["test/fixtures/scaffold-sets/read-heavy-api.yaml", ["--name", "tuned", "--team-size", "4"]],
    ];
    await inPool(
      cases.map(([file, flags]) => async () => {
        const dir = temp("next-");
        const reference = await runCli(["advise", "-r", resolve(file), ...flags, "--no-input", "--format", "json", "--scaffold", join(dir, "reference")]);
        expect(reference.code, reference.stderr).toBe(0);
        const name = (JSON.parse(reference.stdout) as Json).requirements.name;
        const report = await runCli(["advise", "-r", resolve(file), ...flags, "--no-input", "--format", "text"]);
        // commands wider than the terminal continue on the next line with " \", as a shell reads them
        const next = report.stdout.replace(/ \\\n {4}/g, " ").split("\n").filter((l) => /^  aws-patterns /.test(l)).map((l) => l.trim());
        // a file alone reproduces the requirements; flags over it need saving first
        expect(next.length).toBe(flags.length === 0 ? 1 : 2);
        if (flags.length > 0) expect(next[0]).toMatch(/--save requirements\.yaml/);
        for (const command of next) execFileSync("/bin/sh", ["-c", command.replace(/^aws-patterns /, `"${process.execPath}" "${BIN}" `)], { cwd: dir, stdio: "pipe" });
        expect(snapshot(join(dir, name))).toEqual(snapshot(join(dir, "reference")));
      }),
      2,
    );
  }, 120_000);
});
