import { closeSync, cpSync, mkdtempSync, openSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.ts";

/**
 * With no terminal on stdin, `advise` never prompts and never waits: stdin closed, an open pipe
 * nobody writes to, and /dev/null all end promptly, with the file and flags as all there is.
 */
const STDINS = ["closed", "pipe", "/dev/null"] as const;
/** A hang is killed at this point and fails the test; a normal run ends in well under a second. */
const HANG_MS = 15_000;

async function withStdin(stdin: (typeof STDINS)[number], args: string[]) {
  if (stdin !== "/dev/null") return runCli(args, { stdin, timeoutMs: HANG_MS });
  const fd = openSync("/dev/null", "r");
  try {
    return await runCli(args, { stdin: fd, timeoutMs: HANG_MS });
  } finally {
    closeSync(fd);
  }
}

describe.each(STDINS)("advise with stdin %s", (stdin) => {
  it("without a workload: exits 2 at once and says how to pass one, prompting nothing", async () => {
    const run = await withStdin(stdin, ["advise"]);
    expect(run.signal, "killed: it waited for input").toBeNull();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "aws-patterns: no workload was given; pass --workload (one or more of web-app, api, image-processing, video-processing, streaming-analytics, event-processing, data-lake, batch-compute, ci-cd, content-delivery, genai, static-site, realtime-messaging, iot, ml-inference, saas, other), or a requirements file with a `workload:` list, or run in a terminal to be asked\n",
    );
  });

  it("with a requirements file: succeeds with the JSON advice and nothing on stderr", async () => {
    const run = await withStdin(stdin, ["advise", "--requirements", "examples/serverless-image-processing.yaml", "--format", "json"]);
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 1, recommendation: { primary: "serverless-image-processing" } });
  });

  it("with flags only and no --format: writes the design document, prompting nothing", async () => {
    const run = await withStdin(stdin, ["advise", "--workload", "api", "--team-size", "2"]);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^---\nstatus: proposed\n/);
  });
});

describe("internal errors", () => {
  /**
   * A real internal failure, with no hook in the product: an installation whose compiled catalog
   * is damaged. Everything else is the real built CLI, copied beside it.
   */
  function damagedInstallation(): string {
    const root = mkdtempSync(join(tmpdir(), "damaged-install-"));
    cpSync("bin", join(root, "bin"), { recursive: true });
    cpSync("dist", join(root, "dist"), { recursive: true });
    cpSync("package.json", join(root, "package.json"));
    symlinkSync(resolve("patterns"), join(root, "patterns"));
    symlinkSync(resolve("templates"), join(root, "templates"));
    writeFileSync(join(root, "dist", "catalog.json"), '[{"id": "half-writ');
    return join(root, "bin", "aws-patterns.js");
  }
  const bin = damagedInstallation();
  const STACK_LINE = /^\s+at .+(\(|\/).+:\d+:\d+\)?$/m;

  it("give exit 1, a short message and how to report it, and no stack by default", async () => {
    const run = await runCli(["list"], { bin });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^aws-patterns: internal error: .*JSON.*\nThis is a bug in aws-patterns\. Please report it .*\(add --debug for the stack\)\.\n$/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("show the stack with --debug", async () => {
    const run = await runCli(["--debug", "list"], { bin });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^aws-patterns: internal error: /);
    expect(run.stderr).toMatch(STACK_LINE);
  });

  it("show the stack with AWS_PATTERNS_DEBUG=1", async () => {
    const run = await runCli(["list"], { bin, env: { AWS_PATTERNS_DEBUG: "1" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(STACK_LINE);
  });

  it("while bad input stays a bad-input message, even with --debug", async () => {
    const run = await runCli(["--debug", "advise", "--requirements", "test/fixtures/bad-input/key-typo-top.yaml", "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('key-typo-top.yaml › trafic (line 2): unknown key; did you mean "traffic"?');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
