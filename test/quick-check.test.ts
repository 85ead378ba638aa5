import fc from "fast-check";
import { readdirSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { quickCheckPattern } from "../src/catalog/quick-check.ts";
import { patternSchema } from "../src/catalog/schema.ts";
import { readDataFile } from "../src/data-file.ts";

/**
 * The quick check accepts exactly what the schema accepts (refusing more would only cost speed, but
 * exactness is what is tested), and its output is the schema's, key order included.
 */
function agrees(input: unknown): "valid" | "invalid" {
  const quick = quickCheckPattern(structuredClone(input));
  const result = patternSchema.safeParse(structuredClone(input));
  if ((quick !== undefined) !== result.success)
    expect.fail(`the quick check ${quick ? "accepts" : "refuses"} what the schema ${result.success ? "accepts" : `refuses (${result.error!.issues[0]!.message} at ${result.error!.issues[0]!.path.join(".")})`}:\n${JSON.stringify(input).slice(0, 2000)}`);
  if (quick !== undefined && (!isDeepStrictEqual(quick, result.data) || JSON.stringify(quick) !== JSON.stringify(result.data)))
    expect.fail(`the quick check returns other data than the schema:\nquick: ${JSON.stringify(quick).slice(0, 1000)}\nzod:   ${JSON.stringify(result.data).slice(0, 1000)}`);
  return quick !== undefined ? "valid" : "invalid";
}

const BUILT_IN = readdirSync("patterns")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readDataFile(`patterns/${f}`).data as Record<string, unknown>);

type Path = (string | number)[];

/** Every path into a value: object keys and list indexes, the value's own path first. */
function pathsOf(value: unknown, at: Path = []): Path[] {
  const paths: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...at, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...at, k]));
  return paths;
}

/** Values a field may be changed to: wrong types, edge numbers, blank and padded text, ids and paths of other kinds. */
const ODD = [
  null, true, false, 0, -0, 1, -1, 0.5, 40, 41, -40, -41, 89.99, 90, 99.99, 100, 1e12, 2 ** 53, NaN, Infinity, -Infinity,
  "", " ", "  padded text  ", "x", "Bad-Id", "a--b", "kebab-id", "5m", "1.5h", "0", "1w", "2026-11", "2026-1", "LR", "TB", "from", "to",
  "compute", "edge", "hipaa", "gdpr", "api", "batch", "traffic.requestsPerSecond", "traffic.shape", "latencyMs", "rpo", "compliance", "workload",
  "data.auditHistory", "name", "nope.path", "AWS::S3::Bucket", "AWS::S3", "ReadThroughCache", "readThrough", "addons/read-through-cache", "Addons/x",
  "vpc", "front-door", "HIPAASecurityChecks", "pattern", "generic", [], [""], ["api"], ["x", "x"], {}, { max: 5 }, { extra: 1 },
];

/** A change at one path: replace the value, delete the key or item, add an unknown key, or repeat a list item. */
const change = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("replace" as const), value: fc.constantFrom(...ODD) }) },
  { weight: 2, arbitrary: fc.constant({ kind: "delete" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "unknown-key" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "repeat" as const }) },
);

function apply(root: Record<string, unknown>, path: Path, edit: { kind: string; value?: unknown }): unknown {
  if (path.length === 0) return edit.kind === "replace" ? edit.value : root;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1]!;
  switch (edit.kind) {
    case "replace":
      (parent as Record<string | number, unknown>)[key] = structuredClone(edit.value);
      break;
    case "delete":
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete (parent as Record<string, unknown>)[key as string];
      break;
    case "unknown-key": {
      const target = (parent as Record<string | number, unknown>)[key];
      if (target !== null && typeof target === "object" && !Array.isArray(target)) (target as Record<string, unknown>).unexpected = "x";
      break;
    }
    case "repeat":
      if (Array.isArray(parent)) parent.splice(Number(key), 0, structuredClone(parent[Number(key)]));
      break;
  }
  return root;
}

const altered = fc
  .tuple(fc.nat({ max: BUILT_IN.length - 1 }), fc.array(fc.tuple(fc.nat(), change), { minLength: 1, maxLength: 3 }))
  .map(([which, edits]) => {
    let data: unknown = structuredClone(BUILT_IN[which]!);
    for (const [at, edit] of edits) {
      if (data === null || typeof data !== "object") break;
      const paths = pathsOf(data);
      data = apply(data as Record<string, unknown>, paths[at % paths.length]!, edit);
    }
    return data;
  });

/** The changes tried at a path in the exhaustive sweep, chosen by what is there. */
const NUMBERS = [0, -0, 1, -1, 0.5, 5, 40, 41, -40, -41, 89.99, 90, 99.99, 100, 1e12, 2 ** 53, NaN, Infinity, "5", null];
const TEXTS = ["", " ", "  padded text  ", "Bad-Id", "kebab-id", "5m", "1w", "2026-1", "TB", "to", "edge", "gdpr", "traffic.shape", "traffic.requestsPerSecond", "nope.path", "AWS::S3", "Addons/x", "front-door", 5, null, ["x"]];
function changesFor(value: unknown): { kind: string; value?: unknown }[] {
  if (typeof value === "number") return NUMBERS.map((v) => ({ kind: "replace", value: v }));
  if (typeof value === "string" || typeof value === "boolean") return TEXTS.map((v) => ({ kind: "replace", value: v }));
  if (Array.isArray(value)) return [{ kind: "replace", value: [] }, { kind: "replace", value: "x" }, { kind: "unknown-key" }];
  return [{ kind: "replace", value: {} }, { kind: "replace", value: [] }, { kind: "unknown-key" }];
}

describe("quickCheckPattern", () => {
  it("agrees with the schema on every single change, at every path, of the richest entry and those with an add-on", () => {
    const richest = [...BUILT_IN].sort((a, b) => pathsOf(b).length - pathsOf(a).length).slice(0, 1);
    const withAddon = BUILT_IN.filter((p) => JSON.stringify(p).includes('"addon"'));
    let checked = 0;
    for (const entry of [...richest, ...withAddon]) {
      for (const path of pathsOf(entry)) {
        const here = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], entry);
        const edits = [...changesFor(here), { kind: "delete" }, { kind: "repeat" }];
        for (const edit of edits) {
          agrees(apply(structuredClone(entry), path, edit));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5_000);
  });

  it("accepts every built-in entry, with the schema's output", () => {
    expect(BUILT_IN.length).toBe(17);
    for (const data of BUILT_IN) expect(agrees(data)).toBe("valid");
  });

  it("agrees with the schema on altered entries, valid and not", () => {
    let valid = 0;
    fc.assert(
      fc.property(altered, (data) => {
        if (agrees(data) === "valid") valid++;
      }),
      { numRuns: 4_000 },
    );
    // the alterations must leave a fair share valid (a changed text, a dropped optional field), or the output is never compared
    expect(valid).toBeGreaterThan(400);
  });
});
