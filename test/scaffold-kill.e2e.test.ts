import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { COMMIT_DIR } from "../src/output/write-files.ts";
import { snapshot, type Tree } from "./support/tree.ts";

/**
 * `scaffold --force` over a previous scaffold, killed with SIGKILL at many moments, by the clock
 * and at the instant the writer's own folders appear. After every kill the target holds the old
 * tree, or the complete new one, or a committed write that the next run finishes (see
 * src/output/write-files.ts); the user's files are intact in every case.
 */
const ID = "serverless-image-processing";
const cli = (args: string[]) => spawnSync(process.execPath, ["bin/aws-patterns.js", ...args], { encoding: "utf8", input: "" });

const sorted = (tree: Tree) => JSON.stringify(Object.entries(tree).sort());
const withoutStaging = (tree: Tree) => Object.fromEntries(Object.entries(tree).filter(([p]) => !p.startsWith(".aws-patterns-staging-")));

const USER_FILES: Tree = {
  "notes/decisions.md": "why we chose this",
  "lib/my-construct.ts": "export const mine = 1;\n",
  "node_modules/some-dep/index.js": "module.exports = 1;\n",
};

let OLD: Tree;
let NEW_STATE: Tree;
let oldDir: string;
let runMs = 1000;

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), "kill-"));
  // the old state: a scaffold under another name, one generated file edited, the user's own files
  oldDir = join(root, "old");
  expect(cli(["scaffold", ID, "--out", oldDir, "--name", "old-app"]).status).toBe(0);
  writeFileSync(join(oldDir, "README.md"), `${readFileSync(join(oldDir, "README.md"), "utf8")}\nMy own notes at the end.\n`);
  for (const [path, content] of Object.entries(USER_FILES)) {
    mkdirSync(dirname(join(oldDir, path)), { recursive: true });
    writeFileSync(join(oldDir, path), content);
  }
  OLD = snapshot(oldDir);
  // the new state: the old tree with every file of a complete new scaffold laid over it
  const reference = join(root, "reference");
  const started = Date.now();
  expect(cli(["scaffold", ID, "--out", reference]).status).toBe(0);
  runMs = Date.now() - started;
  NEW_STATE = { ...OLD, ...snapshot(reference) };
  expect(sorted(NEW_STATE)).not.toBe(sorted(OLD));
});

type Kill = { after?: number; when?: RegExp };

/** Copies the old tree, runs `scaffold --force` over it, and SIGKILLs it after `after` ms or when an entry matching `when` appears in the target. */
async function killedRun(kill: Kill): Promise<{ target: string; killed: boolean }> {
  const target = join(mkdtempSync(join(tmpdir(), "kill-run-")), "app");
  cpSync(oldDir, target, { recursive: true });
  const child = spawn(process.execPath, ["bin/aws-patterns.js", "scaffold", ID, "--out", target, "--force"], { stdio: "ignore" });
  let killed = false;
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) killed = child.kill("SIGKILL");
  };
  const watcher = kill.when ? watch(target, (_, name) => name && kill.when!.test(String(name)) && killNow()) : undefined;
  const timer = kill.after !== undefined ? setTimeout(killNow, kill.after) : undefined;
  await new Promise((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  watcher?.close();
  return { target, killed: killed && child.signalCode === "SIGKILL" };
}

describe("scaffold --force", () => {
  it("replaces only the generated files: the edited README is replaced, the user's files and the old-name stack stay", () => {
    const target = join(mkdtempSync(join(tmpdir(), "force-")), "app");
    cpSync(oldDir, target, { recursive: true });
    const run = cli(["scaffold", ID, "--out", target, "--force"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/: \d+ files, \d+ replaced\./);
    expect(sorted(snapshot(target))).toBe(sorted(NEW_STATE));
    expect(snapshot(target)["lib/old-app-stack.ts"]).toBe(OLD["lib/old-app-stack.ts"]);
    expect(snapshot(target)["README.md"]).not.toContain("My own notes at the end.");
  });
});

describe("scaffold --force killed with SIGKILL", () => {
  it("leaves the old tree, the new one, or a committed write the next run finishes; user files always intact", async () => {
    const fractions = [0.5, 0.7, 0.8, 0.9, 1, 1.2];
    const kills: Kill[] = [
      ...[5, 20, 40, 60, 80, 120].map((after) => ({ after })),
      ...fractions.map((f) => ({ after: Math.round(f * runMs) })),
      { when: /^\.aws-patterns-staging-/ },
      { when: /^\.aws-patterns-staging-/ },
      { when: new RegExp(`^${COMMIT_DIR.replaceAll(".", "\\.")}$`) },
      { when: new RegExp(`^${COMMIT_DIR.replaceAll(".", "\\.")}$`) },
      { when: /^package\.json$/ },
    ];
    const outcomes: string[] = [];
    for (const kill of kills) {
      const { target, killed } = await killedRun(kill);
      const after = snapshot(target);
      const label = `${JSON.stringify(kill, (_, v: unknown) => (v instanceof RegExp ? String(v) : v))} (killed: ${killed})`;
      for (const [path, content] of Object.entries(USER_FILES)) expect(after[path], `${path} ${label}`).toBe(content);
      const committed = existsSync(join(target, COMMIT_DIR));
      const state = committed ? "committed" : sorted(withoutStaging(after)) === sorted(OLD) ? "old" : sorted(after) === sorted(NEW_STATE) ? "new" : "mixed";
      expect(state, label).not.toBe("mixed");
      const leftovers = readdirSync(target).some((entry) => entry.startsWith(".aws-patterns-"));
      outcomes.push(`${state}${leftovers ? " with leftovers" : ""}${killed ? "" : " (not killed)"}`);
      if (!leftovers) continue;
      // the next run (here one that refuses: no --force) finishes a committed write and clears leftovers
      const next = cli(["scaffold", ID, "--out", target]);
      expect(next.status, `${label}: ${next.stderr}`).toBe(2);
      expect(sorted(snapshot(target)), `after the next run, ${label}`).toBe(sorted(state === "old" ? OLD : NEW_STATE));
    }
    // the kills straddle the write: some runs died before it, some finished or committed it
    expect(outcomes.some((o) => o.startsWith("old")), outcomes.join(", ")).toBe(true);
    expect(outcomes.some((o) => o.startsWith("new") || o.startsWith("committed")), outcomes.join(", ")).toBe(true);
  }, 240_000);
});
