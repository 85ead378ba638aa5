import { execFileSync } from "node:child_process";
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
