import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Drives `advise` in a real pseudo-terminal (tmux): answers the prompts as a person would,
 * including a wrong answer the validator rejects, and reads the final report off the screen.
 */
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const session = `aws-patterns-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);

async function waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** The exit code the shell wrote once the CLI ended. */
async function exitCodeIn(file: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file) || readFileSync(file, "utf8") === "") {
    if (Date.now() > deadline) throw new Error("the CLI did not exit");
    await new Promise((r) => setTimeout(r, 100));
  }
  return readFileSync(file, "utf8").trim();
}
const keys = (...k: string[]) => tmux("send-keys", "-t", session, ...k);
const type = (text: string) => tmux("send-keys", "-t", session, "-l", text);

describe.skipIf(!hasTmux && process.env.CI !== "true")("advise in a real terminal", () => {
  afterAll(() => {
    spawnSync("tmux", ["kill-session", "-t", session]);
  });

  it("asks only what is open and relevant, rejects a bad answer, shows a summary, then the report", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "tty-")), "exit");
    const command = `cd ${resolve(".")} && NO_COLOR=1 node bin/aws-patterns.js advise --name tty-app --team-size 2; echo $? > ${out}; sleep 60`;
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command);

    await waitFor(/What does the system do\?/);
    keys("Down"); // web-app -> api
    keys("Space");
    keys("Enter");
    await waitFor(/Peak concurrent users/);
    keys("C-u");
    type("lots");
    keys("Enter");
    await waitFor(/expected a whole number, found "lots"/);
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
    // the rest take their defaults, except the budget
    for (const question of [/p99 latency target/, /Availability target/, /RPO: how much/, /RTO: how long/, /Where are the users\?/, /Compliance regimes/]) {
      await waitFor(question);
      keys("Enter");
    }
    await waitFor(/Monthly AWS budget/);
    type("150");
    keys("Enter");
    for (const question of [/Reads per write/, /Must every change be kept/, /Production deploys per day/, /Appetite for running/]) {
      await waitFor(question);
      keys("Enter");
    }
    const summary = await waitFor(/Rank the catalog with these requirements\?/);
    expect(summary).toMatch(/Summary/);
    expect(summary).toMatch(/Peak concurrent users\s+300/);
    expect(summary).toMatch(/Team size\s+2 engineers/);
    // not asked: team size came from a flag; events and vCPUs do not matter for an API
    expect(summary).not.toMatch(/Engineers on the team/);
    expect(summary).not.toMatch(/Peak events \(or messages\)|vCPUs needed/);
    keys("Enter");

    const report = await waitFor(/Details: aws-patterns show/);
    expect(report).toMatch(/aws-patterns advice for tty-app/);
    expect(report).toMatch(/Primary: Serverless \(serverless\)/);
    expect(await exitCodeIn(out)).toBe("0");
  });
});
