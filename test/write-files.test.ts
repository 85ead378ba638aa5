import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UserError } from "../src/errors.ts";
import { writeFileAtomic } from "../src/output/write-file.ts";
import { COMMIT_DIR, finishInterruptedWrite, writeFiles } from "../src/output/write-files.ts";
import { snapshot, type Tree } from "./support/tree.ts";

/**
 * The writers, killed at every step. Every file-system change node:fs makes for them is counted;
 * a "kill" before change k lets changes 1..k-1 happen and fails k and everything after it, as a
 * dead process would. After each kill the target must hold the old state or the new one (or a
 * committed write that the next run finishes), and never lose a file that is not generated.
 */
const crash = vi.hoisted(() => ({ armed: false, at: Number.POSITIVE_INFINITY, changes: 0, dead: false }));
class Killed extends Error {}

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      if (crash.armed) {
        if (crash.dead || ++crash.changes >= crash.at) {
          crash.dead = true;
          throw new Killed("killed");
        }
      }
      return fn(...args);
    };
  const changes = {
    writeFileSync: counted(fs.writeFileSync),
    mkdirSync: counted(fs.mkdirSync),
    renameSync: counted(fs.renameSync),
    rmSync: counted(fs.rmSync),
    rmdirSync: counted(fs.rmdirSync),
    chmodSync: counted(fs.chmodSync),
  };
  return { ...fs, ...changes, default: { ...fs, ...changes } };
});

/** Runs `step` killed before file-system change `at` (never, for Infinity); returns how many changes it made or tried. */
function runKilledAt(at: number, step: () => void): number {
  Object.assign(crash, { armed: true, at, changes: 0, dead: false });
  try {
    step();
  } catch (error) {
    if (!(error instanceof Killed)) throw error;
  } finally {
    crash.armed = false;
  }
  return crash.changes;
}

afterEach(() => {
  crash.armed = false;
});


const withoutOurs = (tree: Tree) => Object.fromEntries(Object.entries(tree).filter(([p]) => !p.startsWith(".aws-patterns-")));

function plant(root: string, tree: Tree): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const NEW = new Map([
  ["package.json", "new package"],
  ["README.md", "new readme"],
  ["bin/app.ts", "new bin"],
  ["lib/app-stack.ts", "new stack"],
  ["test/app.test.ts", "new test"],
  [".gitignore", "node_modules\n"],
]);
/** A previous scaffold under another name, a generated file the user edited, and the user's own files. */
const OLD: Tree = {
  "package.json": "old package",
  "README.md": "old readme, edited by the user",
  "lib/old-name-stack.ts": "old stack",
  "lib/mine.ts": "the user's construct",
  "notes.md": "the user's notes",
  "node_modules/dep/index.js": "a dependency",
};
const USER_FILES = ["lib/mine.ts", "notes.md", "node_modules/dep/index.js"];
const NEW_STATE: Tree = { ...OLD, ...Object.fromEntries(NEW) };

const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe("writeFiles with --force, killed at every step", () => {
  it("leaves the old state, the new one, or a committed write the next run finishes; user files always intact", () => {
    const total = runKilledAt(Number.POSITIVE_INFINITY, () => {
      const target = fresh("force-count-");
      plant(target, OLD);
      writeFiles(target, NEW, { force: true });
    });
    expect(total).toBeGreaterThan(NEW.size * 2);
    const seen = new Set<string>();
    for (let at = 1; at <= total + 1; at++) {
      const target = fresh("force-kill-");
      plant(target, OLD);
      runKilledAt(at, () => writeFiles(target, NEW, { force: true }));
      const after = snapshot(target);
      for (const file of USER_FILES) expect(after[file], `${file} after a kill at change ${at}`).toBe(OLD[file]);
      // a committed write may show new files beside old ones until the next run; anything else is whole
      const state = existsSync(join(target, COMMIT_DIR)) ? "committed" : isTree(withoutOurs(after), OLD) ? "old" : isTree(after, NEW_STATE) ? "new" : "mixed";
      expect(state, `kill at change ${at} of ${total}: ${JSON.stringify(after, null, 1)}`).not.toBe("mixed");
      seen.add(state);
      // the next run, even one that refuses to write, finishes a committed write and clears leftovers
      expect(() => writeFiles(target, NEW, { force: false })).toThrow(UserError);
      expect(snapshot(target), `after the next run, kill at change ${at}`).toEqual(state === "old" ? OLD : NEW_STATE);
    }
    expect([...seen].sort()).toEqual(["committed", "new", "old"]);
  });
});

function isTree(actual: Tree, expected: Tree): boolean {
  return JSON.stringify(Object.entries(actual).sort()) === JSON.stringify(Object.entries(expected).sort());
}

describe("writeFiles into a missing folder, killed at every step", () => {
  it("leaves no folder or the complete one; the next run clears what a killed run left beside it", () => {
    const total = runKilledAt(Number.POSITIVE_INFINITY, () => writeFiles(join(fresh("whole-count-"), "app"), NEW, { force: false }));
    const seen = new Set<string>();
    for (let at = 1; at <= total + 1; at++) {
      const parent = fresh("whole-kill-");
      const target = join(parent, "app");
      runKilledAt(at, () => writeFiles(target, NEW, { force: false }));
      const state = existsSync(target) ? "new" : "missing";
      seen.add(state);
      if (state === "new") {
        expect(snapshot(target)).toEqual(Object.fromEntries(NEW));
        expect(readdirSync(parent)).toEqual(["app"]);
      } else {
        expect(readdirSync(parent).every((f) => f.startsWith(".app.aws-patterns-")), `kill at change ${at}`).toBe(true);
        writeFiles(target, NEW, { force: false });
        expect(readdirSync(parent)).toEqual(["app"]);
        expect(snapshot(target)).toEqual(Object.fromEntries(NEW));
      }
    }
    expect([...seen].sort()).toEqual(["missing", "new"]);
  });
});

describe("writeFiles", () => {
  it("with --force replaces only generated files, keeps every other file, and leaves nothing of its own", () => {
    const target = fresh("force-");
    plant(target, OLD);
    const result = writeFiles(target, NEW, { force: true });
    expect(result.replaced.sort()).toEqual(["README.md", "package.json"]);
    expect(snapshot(target)).toEqual(NEW_STATE);
    expect(readdirSync(dirname(target)).filter((f) => f.includes(".aws-patterns-"))).toEqual([]);
  });

  it("keeps an existing empty folder itself (same inode), writing into it", () => {
    const target = fresh("empty-");
    const inode = statSync(target).ino;
    writeFiles(target, NEW, { force: false });
    expect(statSync(target).ino).toBe(inode);
    expect(snapshot(target)).toEqual(Object.fromEntries(NEW));
  });

  it("finishes a committed write left by a killed run, moving only what is left", () => {
    const target = fresh("commit-");
    plant(target, OLD);
    plant(join(target, COMMIT_DIR), { "lib/app-stack.ts": "new stack" });
    plant(target, { "package.json": "new package" }); // moved before the kill
    expect(finishInterruptedWrite(target)).toBe(true);
    expect(snapshot(target)).toEqual({ ...OLD, "package.json": "new package", "lib/app-stack.ts": "new stack" });
    expect(finishInterruptedWrite(target)).toBe(false);
  });

  it.each([
    ["a symbolic link on the way", (t: string) => symlinkSync(fresh("elsewhere-"), join(t, "lib")), /lib: is a symbolic link; aws-patterns does not write through links; nothing was written/],
    ["a file where a folder goes", (t: string) => writeFileSync(join(t, "lib"), "a file"), /lib: is a file where the scaffold needs a folder; nothing was written/],
    ["a folder where a file goes", (t: string) => mkdirSync(join(t, "README.md")), /README\.md: is a folder where the scaffold writes a file; nothing was written/],
  ])("refuses %s before writing anything", (_, arrange, message) => {
    const target = fresh("refuse-");
    plant(target, { "notes.md": "mine" });
    arrange(target);
    const before = readdirSync(target).sort();
    expect(() => writeFiles(target, NEW, { force: true })).toThrow(message);
    expect(readdirSync(target).sort()).toEqual(before);
  });
});

describe("writeFileAtomic, killed at every step", () => {
  it("leaves the old content or the new, and the next write clears a leftover temporary file", () => {
    const total = runKilledAt(Number.POSITIVE_INFINITY, () => {
      const dir = fresh("atomic-count-");
      writeFileSync(join(dir, "doc.md"), "old");
      writeFileAtomic(join(dir, "doc.md"), "new");
    });
    for (let at = 1; at <= total + 1; at++) {
      const dir = fresh("atomic-kill-");
      writeFileSync(join(dir, "doc.md"), "old");
      runKilledAt(at, () => writeFileAtomic(join(dir, "doc.md"), "new"));
      expect(["old", "new"]).toContain(readFileSync(join(dir, "doc.md"), "utf8"));
      writeFileAtomic(join(dir, "doc.md"), "newer");
      expect(readdirSync(dir)).toEqual(["doc.md"]);
    }
  });

  it("keeps the file's permissions and writes through a symbolic link", () => {
    const dir = fresh("atomic-");
    writeFileSync(join(dir, "real.md"), "old", { mode: 0o600 });
    symlinkSync(join(dir, "real.md"), join(dir, "link.md"));
    writeFileAtomic(join(dir, "link.md"), "new");
    expect(readFileSync(join(dir, "real.md"), "utf8")).toBe("new");
    expect(statSync(join(dir, "real.md")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(["link.md", "real.md"]);
  });
});
