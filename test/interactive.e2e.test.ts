import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contentOnceWritten, hasTmux, openTerminal, type Terminal } from "./support/tmux.ts";

/**
 * Drives `advise` in a real pseudo-terminal (tmux): answers the prompts as a person would,
 * including wrong answers the validators reject, and reads the final report off the screen; and
 * presses Ctrl-C at a prompt.
 */
const terminals: Terminal[] = [];
let sessions = 0;
/** Runs a shell command in a new terminal; the command's exit code is written to the returned file. */
function start(command: string): { terminal: Terminal; exitFile: string; stdoutFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "tty-"));
  const exitFile = join(dir, "exit");
  const stdoutFile = join(dir, "stdout");
  const terminal = openTerminal(`aws-patterns-${process.pid}-${++sessions}`, `cd ${resolve(".")} && ${command.replace("{stdout}", stdoutFile)}; echo $? > ${exitFile}; sleep 60`);
  terminals.push(terminal);
  return { terminal, exitFile, stdoutFile };
}

describe.skipIf(!hasTmux && process.env.CI !== "true")("advise in a real terminal", () => {
  afterAll(() => {
    for (const terminal of terminals) terminal.close();
  });

  it("asks only what is open and relevant, rejects bad answers, shows a summary, then the report", async () => {
    const { terminal, exitFile: out } = start("NO_COLOR=1 node bin/aws-patterns.js advise --name tty-app --team-size 2");
    const { waitFor, keys, type } = terminal;

    // progress, and a description under the highlighted choice
    await waitFor(/\(1\/\d+\) What does the system do\?/);
    keys("Down"); // web-app -> api
    await waitFor(/an HTTP API that other programs or front ends call/);
    keys("Space");
    keys("Enter");
    await waitFor(/Peak concurrent users/);
    keys("C-u");
    type("lots");
    keys("Enter");
    await waitFor(/expected a whole number.*found "lots"/);
    keys("C-u");
    type("300");
    keys("Enter");
    await waitFor(/Peak requests per second/);
    keys("C-u");
    type("20");
    keys("Enter");
    await waitFor(/How does load vary over time\?/);
    keys("Down"); // steady -> spiky
    keys("Enter");
    await waitFor(/p99 latency target/);
    keys("Enter");
    // a number the schema refuses (not just text that is not a number), then a good one
    await waitFor(/Availability target/);
    keys("C-u");
    type("100");
    keys("Enter");
    await waitFor(/Availability is a percentage from 90 up to \(not including\) 100/);
    keys("C-u");
    type("99.95%");
    keys("Enter");
    // the rest take their defaults, except the budget
    for (const question of [/RPO: how much/, /RTO: how long/, /Where are the users\?/, /Compliance regimes/]) {
      await waitFor(question);
      keys("Enter");
    }
    await waitFor(/Monthly AWS budget/);
    type("150");
    keys("Enter");
    for (const question of [/All the data kept/, /Reads per write/, /Must every change be kept/, /How far may the data travel/, /Production deploys per day/, /Appetite for running/]) {
      await waitFor(question);
      keys("Enter");
    }
    const summary = await waitFor(/Rank the catalog with these requirements\?/);
    expect(summary).toMatch(/Summary/);
    expect(summary).toMatch(/Peak concurrent users\s+300/);
    expect(summary).toMatch(/Team size\s+2 engineers/);
    expect(summary).toMatch(/Availability\s+99\.95 %/);
    expect(summary).toMatch(/Monthly budget\s+150 USD/);
    // not asked: team size came from a flag; events and vCPUs do not matter for an API
    expect(summary).not.toMatch(/Engineers on the team/);
    expect(summary).not.toMatch(/Peak events \(or messages\)|vCPUs needed/);
    // change one answer without starting over: the third choice is "Change peak concurrent users"
    keys("Down");
    keys("Down");
    await waitFor(/Change peak concurrent users \(now 300\)/);
    keys("Enter");
    await waitFor(/Peak concurrent users/);
    keys("C-u");
    type("400");
    keys("Enter");
    await waitFor(/Peak concurrent users\s+400/);
    keys("Enter");

    // the answers exist nowhere else: the run offers to save them
    await waitFor(/Save these requirements to a file\?/);
    const saved = join(dirname(out), "answers.yaml");
    keys("C-u");
    type(saved);
    keys("Enter");
    const report = await waitFor(/--scaffold\s+tty-app/);
    expect(report).toMatch(/aws-patterns advice for tty-app/);
    expect(report).toMatch(/Primary: Serverless \(serverless\)/);
    expect(await contentOnceWritten(out)).toBe("0");
    const file = readFileSync(saved, "utf8");
    expect(file).toMatch(/^team:\n  size: 2$/m);
    expect(file).toMatch(/^budgetMonthlyUsd: 150$/m);
    expect(report.replace(/ \\\n {4}/g, " ")).toMatch(/advise -r \S*answers\.yaml\s+--no-input\s+--scaffold\s+tty-app/);
  });

  /** Ctrl-C while a prompt waits: exit 130, one line (and no stack) under the prompt, nothing on stdout. */
  async function expectCancelled(terminal: Terminal, exitFile: string, stdoutFile: string) {
    const before = terminal.screen();
    terminal.keys("C-c");
    expect(await contentOnceWritten(exitFile)).toBe("130");
    const added = terminal
      .screen()
      .split("\n")
      .filter((line) => line.trim() !== "" && !before.split("\n").includes(line));
    expect(added).toEqual(["aws-patterns: cancelled"]);
    expect(terminal.screen()).not.toMatch(/^\s+at /m);
    expect(readFileSync(stdoutFile, "utf8")).toBe("");
  }

  it("exits 130 on Ctrl-C at the first prompt", async () => {
    const { terminal, exitFile, stdoutFile } = start("NO_COLOR=1 node bin/aws-patterns.js advise > {stdout}");
    await terminal.waitFor(/Application name \(kebab-case\)/);
    await expectCancelled(terminal, exitFile, stdoutFile);
  });

  it("exits 130 on Ctrl-C at a text prompt, answers already given", async () => {
    const { terminal, exitFile, stdoutFile } = start("NO_COLOR=1 node bin/aws-patterns.js advise --name ctrl-c --format json > {stdout}");
    await terminal.waitFor(/What does the system do\?/);
    terminal.keys("Down");
    terminal.keys("Space");
    terminal.keys("Enter");
    await terminal.waitFor(/Peak concurrent users/);
    terminal.type("12");
    await terminal.waitFor(/Peak concurrent users.*12/);
    await expectCancelled(terminal, exitFile, stdoutFile);
  });
});
