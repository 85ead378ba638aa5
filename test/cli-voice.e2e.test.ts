import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";

/** One CLI voice: every error starts `aws-patterns:`, a bare call shows usage, colour off everywhere, completion. */
describe("one CLI voice", () => {
  it("starts every error with aws-patterns:, commander's own included", async () => {
    for (const args of [["-v"], ["advise", "--wrkload", "api"], ["lst"], ["show"], ["show", "nope"]]) {
      const run = await runCli(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(/^aws-patterns: /);
    }
  });

  it("never offers --force as a guess", async () => {
    const run = await runCli(["scaffold", "serverless", "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/--force/);
  });

  it("a bare aws-patterns prints a short usage with the common commands and exits 2", async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    for (const command of ["init", "advise", "scaffold"]) expect(run.stderr).toContain(`aws-patterns ${command}`);
    expect(run.stdout).toBe("");
  });

  it("takes --no-color on every command", async () => {
    for (const args of [["list", "--no-color"], ["show", "serverless", "--no-color"], ["--no-color", "list"]]) expect((await runCli(args)).code, args.join(" ")).toBe(0);
  });

  it("completes `aws-patterns sc` to scaffold in a real bash, and ids after show", () => {
    const script = resolve("bin/aws-patterns.js");
    const out = execFileSync(
      "bash",
      ["-c", `source <("${process.execPath}" "${script}" completion bash); COMP_WORDS=(aws-patterns sc); COMP_CWORD=1; _aws_patterns; echo "\${COMPREPLY[@]}"; COMP_WORDS=(aws-patterns show cache-a); COMP_CWORD=2; _aws_patterns; echo "\${COMPREPLY[@]}"`],
      { encoding: "utf8" },
    ).split("\n");
    expect(out[0]!.split(" ")).toContain("scaffold");
    expect(out[1]).toBe("cache-aside");
  });

  it("prints zsh and fish completion from the same definitions", async () => {
    const zsh = await runCli(["completion", "zsh"]);
    expect(zsh.stdout).toMatch(/bashcompinit[\s\S]*complete -o default -F _aws_patterns aws-patterns/);
    const fish = await runCli(["completion", "fish"]);
    expect(fish.stdout).toMatch(/__fish_seen_subcommand_from verify" -l assembly/);
    expect((await runCli(["completion", "tcsh"])).code).toBe(2);
  });
});

describe("the report fits the terminal and ends with what matters", () => {
  const files = [
    ...readdirSync("examples").filter((f) => f.endsWith(".yaml")).map((f) => `examples/${f}`),
    ...readdirSync("test/fixtures/scaffold-sets").map((f) => `test/fixtures/scaffold-sets/${f}`),
    "test/fixtures/calibration/bank-contact-centre.yaml",
  ];
  it.each(["80", "60"].flatMap((w) => files.map((f) => [w, f])))("COLUMNS=%s %s", async (width, file) => {
    const run = await runCli(["advise", "-r", file, "--no-input", "--format", "text"], { env: { COLUMNS: width } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(Number(width));
    const tail = lines.slice(-9).join("\n");
    expect(tail).toMatch(/^Design: [\s\S]*about\s+\$[\d,]+\s+a\s+month/m);
    expect(tail).toMatch(/^Next:\n {2}aws-patterns advise/m);
  });
});

describe("help that teaches", () => {
  it.each([["advise"], ["scaffold"], ["init"], ["mcp"]])("%s --help: plain words, units and defaults, examples, no field paths", async (command) => {
    const run = await runCli([command, "--help"], { env: { COLUMNS: "100" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nExamples:\n {2}aws-patterns /);
    // a camelCase word (requestsPerSecond, budgetMonthlyUsd) is a field path leaking to a person
    expect(run.stdout.replace(/\bvCPUs?\b/g, "")).not.toMatch(/\b[a-z]+[A-Z][a-zA-Z]*\b/);
    if (command === "advise") for (const text of ["default 99.9", "default 1d", "comma-separated, any of: hipaa", "US dollars a month"]) expect(run.stdout.replace(/\s+/g, " ")).toContain(text);
  });
});

describe("--verbose", () => {
  it("shows every reason of every entry in the text report", async () => {
    const [plain, verbose] = await Promise.all([[], ["--verbose"]].map((extra) => runCli(["advise", "-r", "examples/cases/mvp-api.yaml", "--no-input", "--format", "text", ...extra])));
    const headings = (text: string) => text.split("\n").filter((l) => /^\d+\. /.test(l)).length;
    expect(headings(plain!.stdout)).toBe(3);
    expect(headings(verbose!.stdout)).toBe(23);
    expect(verbose!.stdout).not.toMatch(/more reasons? with --verbose/);
  });
});

describe("plain words where a person reads", () => {
  it("no help, report, document body or show output names a requirement by its field path", async () => {
    const { FIELDS } = await import("../src/requirements/fields.ts");
    const { PILLARS } = await import("../src/catalog/values.ts");
    // every camelCase key of a field path, and the pillar keys
    const keys = [...new Set([...FIELDS.flatMap((f) => f.path.split(".")), ...PILLARS])].filter((k) => /[a-z][A-Z]/.test(k));
    const outputs = await Promise.all([
      runCli(["advise", "--help"]),
      runCli(["advise", "-r", "examples/high-traffic-ecommerce.yaml", "--no-input", "--format", "text", "--verbose"]),
      runCli(["advise", "-r", "examples/cases/clinic-portal.yaml", "--no-input", "--format", "md"]),
      runCli(["show", "serverless"]),
      runCli(["show", "multi-region-dr"]),
      runCli(["advise", "--workload", "api", "--requests-per-second", "-3", "--no-input"]),
    ]);
    for (const run of outputs) {
      // the document's front matter is for machines: only its body is read here
      const text = (run.stdout.startsWith("---\n") ? run.stdout.split("\n---\n").slice(1).join("\n---\n") : run.stdout) + run.stderr;
      for (const key of keys) expect(text, key).not.toMatch(new RegExp(`\\b${key}\\b`));
    }
  });
});
