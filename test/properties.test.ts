import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allStated } from "./builders.ts";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadCatalog, type Loaded } from "../src/catalog/load.ts";
import { readPatternFolder } from "../src/catalog/read-folder.ts";
import type { Catalog } from "../src/catalog/schema.ts";
import { parseDataText } from "../src/data-file.ts";
import { formatProblem, UserError, type Problem } from "../src/errors.ts";
import { FIELDS, setPath } from "../src/requirements/fields.ts";
import { finishRequirements, type Draft } from "../src/requirements/resolve.ts";
import { requirementsSchema, type Requirements } from "../src/requirements/schema.ts";
import { AUDIENCES, COMPLIANCE_REGIMES, FRESHNESS, OPS_CAPACITY, TRAFFIC_SHAPES, WORKLOADS } from "../src/requirements/values.ts";
import { missesHard, rank } from "../src/scoring/rank.ts";
import { recommend } from "../src/scoring/recommend.ts";

/**
 * Property-based tests (fast-check): scoring holds its promises for every valid input, validation
 * turns every invalid input into a UserError, and mutated catalog files are reported, never crash.
 * Runs are bounded so the file stays fast; a failure prints the seed and the shrunk input.
 */
const RUNS = 150;
/** Catalog runs parse a 10 KB file each, so fewer of them. */
const CATALOG_RUNS = 100;
const catalog = await loadCatalog();

// ---------------------------------------------------------------------------------------------
// Arbitrary valid requirements, from the closed sets in values.ts and the ranges of the schema.

const count = fc.oneof(fc.nat({ max: 1_000 }), fc.nat({ max: 10_000_000 }), fc.constantFrom(0, 1, 1e12, 999_999_999_999));
const amount = (max: number) => fc.oneof(fc.double({ min: 0, max, noNaN: true }), fc.nat({ max: 1_000 }), fc.constantFrom(0, max));
const duration = fc.oneof(
  fc.constant("0"),
  fc.tuple(fc.nat({ max: 500 }), fc.constantFrom("s", "m", "h", "d")).map(([n, unit]) => `${n}${unit}`),
  fc.tuple(fc.nat({ max: 99 }), fc.nat({ max: 9 }), fc.constantFrom("s", "m", "h", "d")).map(([n, f, unit]) => `${n}.${f}${unit}`),
);
const name = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 3 }))
  .map(([head, rest]) => [head, ...rest].join("-"))
  .filter((n) => n.length <= 40);

/** Every field optional but the workload, as in a file; the schema fills the rest. */
const requirementsInput = fc.record(
  {
    name,
    workload: fc.uniqueArray(fc.constantFrom(...WORKLOADS), { minLength: 1 }),
    traffic: fc.record(
      { peakConcurrentUsers: count, requestsPerSecond: count, eventsPerSecond: count, shape: fc.constantFrom(...TRAFFIC_SHAPES) },
      { requiredKeys: [] },
    ),
    latencyMs: fc.oneof(fc.integer({ min: 1, max: 3_600_000 }), fc.integer({ min: 1, max: 2_000 })),
    availability: fc.oneof(fc.double({ min: 90, max: 100, maxExcluded: true, noNaN: true }), fc.constantFrom(90, 99, 99.9, 99.99, 99.999)),
    rpo: duration,
    rto: duration,
    audience: fc.constantFrom(...AUDIENCES),
    compliance: fc.uniqueArray(fc.constantFrom(...COMPLIANCE_REGIMES)),
    budgetMonthlyUsd: fc.oneof(fc.constant(null), fc.double({ min: 0.01, max: 1e12, noNaN: true }), fc.integer({ min: 1, max: 100_000 })),
    data: fc.record(
      { sources: count, dailyVolumeGb: amount(1e9), freshness: fc.constantFrom(...FRESHNESS), readWriteRatio: amount(1e9), auditHistory: fc.boolean() },
      { requiredKeys: [] },
    ),
    team: fc.record(
      { size: fc.integer({ min: 1, max: 100_000 }), deploysPerDay: amount(100_000), opsCapacity: fc.constantFrom(...OPS_CAPACITY) },
      { requiredKeys: [] },
    ),
    batch: fc.record({ peakVcpus: count, interruptible: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: ["workload"] },
);

const validRequirements = requirementsInput.map((input) => requirementsSchema.parse(input));

describe("rank and recommend, for any valid requirements", () => {
  it("the arbitrary covers only valid requirements (else the properties below prove less)", () => {
    fc.assert(fc.property(requirementsInput, (input) => requirementsSchema.safeParse(input).success), { numRuns: RUNS });
  });

  it("never throw, rank every entry once, best first, scores 0-100 made of their points, deterministic", () => {
    fc.assert(
      fc.property(validRequirements, (requirements) => {
        const ranking = rank(catalog, allStated(requirements));
        expect(ranking.map((e) => e.id).sort()).toEqual(catalog.map((p) => p.id).sort());
        ranking.forEach((entry, i) => {
          expect(Number.isInteger(entry.score), entry.id).toBe(true);
          expect(entry.score).toBeGreaterThanOrEqual(0);
          expect(entry.score).toBeLessThanOrEqual(100);
          expect(entry.reasons.reduce((sum, r) => sum + r.points, 0), `${entry.id}: points add up`).toBe(entry.score);
          for (const r of entry.reasons) expect(Number.isFinite(r.points) && r.says.length > 0, `${entry.id} ${r.on}`).toBe(true);
          expect(Number.isFinite(entry.cost.monthlyUsd), `${entry.id} cost`).toBe(true);
          // entries that meet every hard constraint first; by score within each group
          if (i > 0) expect(Number(missesHard(ranking[i - 1]!))).toBeLessThanOrEqual(Number(missesHard(entry)));
          if (i > 0 && missesHard(ranking[i - 1]!) === missesHard(entry)) expect(ranking[i - 1]!.score).toBeGreaterThanOrEqual(entry.score);
        });
        // deterministic: the same input (and a copy of it, and the catalog in another order) gives the same output
        expect(rank(catalog, allStated(requirements))).toEqual(ranking);
        expect(rank([...catalog].reverse(), allStated(structuredClone(requirements)))).toEqual(ranking);

        const recommendation = recommend(catalog, ranking, allStated(requirements));
        expect(recommendation.primary).toBe(ranking[0]!.id);
        expect(recommendation.complements).not.toContain(recommendation.primary);
        expect(new Set(recommendation.complements).size).toBe(recommendation.complements.length);
        for (const id of recommendation.complements) expect(catalog.some((p) => p.id === id)).toBe(true);
        expect(recommend(catalog, ranking, allStated(requirements))).toEqual(recommendation);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Invalid requirements: validation reports, never throws anything but a UserError.

const draftOf = (data: unknown): Draft => ({ source: undefined, data: data as Record<string, unknown>, fromFlags: new Set(), notices: [] });

/** The outcome of validation: the requirements, or the UserError's message; anything else is rethrown. */
function validate(draft: Draft): { ok: true; value: Requirements } | { ok: false; message: string } {
  try {
    return { ok: true, value: finishRequirements(draft) };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, message: error.message };
    throw error;
  }
}

const BAD_VALUES: readonly unknown[] = [
  -1, -0.5, 1.5, 1e13, 1e300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, "", "text", "5 minutes",
  "99.9", "yes", "__proto__", null, true, false, [], ["nope"], [1, 2], {}, { a: 1 }, { __proto__: null },
];

describe("validation, for invalid input", () => {
  it("turns anything at all into requirements or a UserError, never another exception", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true }), (value) => {
        const result = validate(draftOf(value));
        if (result.ok) expect(requirementsSchema.safeParse(value).success).toBe(true);
        else expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("reports the field a mutation broke, by its path (or accepts a mutation the schema accepts)", () => {
    fc.assert(
      fc.property(requirementsInput, fc.constantFrom(...FIELDS), fc.oneof(fc.constantFrom(...BAD_VALUES), fc.jsonValue()), (input, field, bad) => {
        const data = structuredClone(input) as Record<string, unknown>;
        setPath(data, field.path, bad);
        const accepted = requirementsSchema.safeParse(data).success;
        const result = validate(draftOf(data));
        expect(result.ok).toBe(accepted);
        if (!result.ok) expect(result.message).toContain(field.path);
      }),
      { numRuns: RUNS },
    );
  });

  it("turns any JSON or YAML text into requirements or a UserError naming the file", () => {
    const text = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
      fc.jsonValue().map((v) => stringify(v)),
      requirementsInput.map((v) => stringify(v)),
      fc.string({ unit: "binary", maxLength: 200 }),
    );
    fc.assert(
      fc.property(text, (source) => {
        let outcome: { ok: true } | { ok: false; message: string };
        try {
          const parsed = parseDataText(source, "fuzz.yaml");
          const result = validate({ source: parsed, data: parsed.data as Record<string, unknown>, fromFlags: new Set(), notices: [] });
          outcome = result.ok ? { ok: true } : result;
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          outcome = { ok: false, message: error.message };
        }
        if (!outcome.ok) expect(outcome.message.startsWith("fuzz.yaml")).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Mutated catalog files: a --patterns folder holding one real pattern file, damaged.

const PATTERN_FILES = readdirSync("patterns").filter((f) => f.endsWith(".yaml") && !f.startsWith("_")).sort();
const originals = new Map(PATTERN_FILES.map((f) => [f, readFileSync(join("patterns", f), "utf8")]));
const folder = mkdtempSync(join(tmpdir(), "mutated-patterns-"));
const REPLACEMENTS = ["", "-1", "0", "1e999", ".nan", "~", "[]", "{}", "[a, b]", "x", "'text'", "true", "*nowhere", "&a", ": :", "- item", "{ a: [ }", "__proto__: 1", "!!binary AA=="];

/** One text mutation of a YAML source, chosen by the numbers given. */
type TextMutation = { kind: "delete" | "duplicate" | "swap" | "truncate" | "replace-value" | "insert" | "indent"; at: number; other: number; text: string };
const textMutation: fc.Arbitrary<TextMutation> = fc.record({
  kind: fc.constantFrom("delete", "duplicate", "swap", "truncate", "replace-value", "insert", "indent"),
  at: fc.nat(),
  other: fc.nat(),
  text: fc.oneof(fc.constantFrom(...REPLACEMENTS), fc.string({ maxLength: 12 })),
});

function mutateText(source: string, m: TextMutation): string {
  const lines = source.split("\n");
  const i = m.at % lines.length;
  const j = m.other % lines.length;
  switch (m.kind) {
    case "delete":
      return lines.filter((_, k) => k !== i).join("\n");
    case "duplicate":
      return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join("\n");
    case "swap": {
      const copy = [...lines];
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      return copy.join("\n");
    }
    case "truncate":
      return source.slice(0, m.at % (source.length + 1));
    case "replace-value": {
      const line = lines[i]!;
      const colon = line.indexOf(": ");
      lines[i] = colon >= 0 ? `${line.slice(0, colon + 2)}${m.text}` : `${line.replace(/^(\s*- ).*$/, `$1${m.text}`)}`;
      return lines.join("\n");
    }
    case "insert": {
      const at = m.at % (source.length + 1);
      return `${source.slice(0, at)}${m.text}${source.slice(at)}`;
    }
    case "indent":
      lines[i] = m.other % 2 === 0 ? ` ${lines[i]}` : lines[i]!.replace(/^ /, "");
      return lines.join("\n");
  }
}

/** Every path in a parsed YAML value, for value mutations. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value !== null && typeof value === "object") return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return [prefix];
}

function setIn(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
  return root;
}

/** A problem line as the catalog reports it: `file › path (line N): message`, or `file (line N): message`, or `file: message`. */
const PROBLEM_LINE = /^\S.*?\.ya?ml( › \S.*?)?( \(line \d+\))?: \S/;

/**
 * Loads the folder as `--patterns` would: problems must all be UserError-style lines; entries that
 * do load must survive ranking and recommending with the rest of the catalog.
 */
function checkFolder(file: string, source: string, requirements: Requirements): "reported" | "loaded" {
  for (const f of readdirSync(folder)) rmSync(join(folder, f), { force: true });
  writeFileSync(join(folder, file), source);
  const problems: Problem[] = [];
  let loaded: Loaded[];
  try {
    loaded = readPatternFolder(folder, problems);
  } catch (error) {
    throw new Error(`reading a mutated ${file} threw instead of reporting: ${String(error)}\n--- source ---\n${source}`, { cause: error });
  }
  for (const line of problems.map(formatProblem).flatMap((l) => l.split("\n"))) expect(line, source).toMatch(PROBLEM_LINE);
  if (loaded.length === 0) {
    expect(problems.length, "a file that does not load must say why").toBeGreaterThan(0);
    return "reported";
  }
  const replaced: Catalog = [...catalog.filter((p) => !loaded.some((l) => l.pattern.id === p.id)), ...loaded.map((l) => l.pattern)];
  const ranking = rank(replaced, allStated(requirements));
  recommend(replaced, ranking, allStated(requirements));
  return problems.length > 0 ? "reported" : "loaded";
}

describe("mutated catalog files", () => {
  // both outcomes must occur, or the mutations are too weak (or too strong) to prove anything
  const expectBothOutcomes = (outcomes: Map<string, number>) => {
    expect(outcomes.get("reported") ?? 0, "some mutations are reported").toBeGreaterThan(0);
    expect(outcomes.get("loaded") ?? 0, "some mutations still load").toBeGreaterThan(0);
  };

  it("are reported as problems in file › path form, and anything that loads can be ranked", () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.constantFrom(...PATTERN_FILES), fc.array(textMutation, { minLength: 1, maxLength: 3 }), validRequirements, (file, mutations, requirements) => {
        const outcome = checkFolder(file, mutations.reduce(mutateText, originals.get(file)!), requirements);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: CATALOG_RUNS },
    );
    expectBothOutcomes(outcomes);
  });

  it("with a value changed to another type or range are reported the same way", () => {
    const outcomes = new Map<string, number>();
    const replacement = fc.oneof(fc.constantFrom(...BAD_VALUES), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.constantFrom(...PATTERN_FILES), fc.nat(), replacement, validRequirements, (file, pick, value, requirements) => {
        const data = parse(originals.get(file)!) as unknown;
        const paths = pathsOf(data).filter((p) => p.length > 0);
        const outcome = checkFolder(file, stringify(setIn(data, paths[pick % paths.length]!, value)), requirements);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: CATALOG_RUNS },
    );
    expectBothOutcomes(outcomes);
  });
});
