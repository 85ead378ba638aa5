import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { readDataFile } from "../src/data-file.ts";
import { quickParseRequirements } from "../src/requirements/quick-parse.ts";
import { requirementsSchema } from "../src/requirements/schema.ts";
import { AUDIENCES, COMPLIANCE_REGIMES, FRESHNESS, OPS_CAPACITY, TRAFFIC_SHAPES, WORKLOADS } from "../src/requirements/values.ts";

/**
 * The quick parse accepts exactly what the schema accepts (refusing more would only cost speed;
 * accepting more would skip a check), and its output is the schema's, key order included.
 */
function agreesWithSchema(input: unknown): void {
  const quick = quickParseRequirements(structuredClone(input));
  const result = requirementsSchema.safeParse(structuredClone(input));
  if ((quick !== undefined) !== result.success) expect.fail(`quick parse ${quick ? "accepts" : "refuses"} ${JSON.stringify(input)}`);
  if (quick !== undefined) expect(JSON.stringify(quick)).toBe(JSON.stringify(result.data));
}

/** Values of every kind, most of them wrong for any given field. */
const oddValue = fc.oneof(fc.constant(null), fc.constant(undefined), fc.boolean(), fc.string({ maxLength: 6 }), fc.double(), fc.integer(), fc.constant([]), fc.constant({}), fc.constantFrom("Steady", "hipaa ", "5", "1w"));
/** Numbers for a field bounded by [min, max]: mostly inside, sometimes right at or just past a bound. */
const number = (min: number, max: number, int = false) =>
  fc.oneof(
    { weight: 6, arbitrary: int ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }) : fc.double({ min, max, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(min, max, min + 0.5, max - 0.5) },
    { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, min - 1e-9, max + 1e-9, 2 ** 53, -0, Number.NaN, Infinity, -Infinity) },
  );
/** Lists from a closed set: mostly without repeats, sometimes with one. */
const set = <T,>(values: readonly T[]) =>
  fc.oneof({ weight: 6, arbitrary: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...values), { maxLength: 4 }) });
/** Mostly a valid value, sometimes one the schema refuses. */
const mostly = <T,>(valid: readonly T[], invalid: readonly T[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
const section = (shape: Record<string, fc.Arbitrary<unknown>>) => fc.record(shape, { requiredKeys: [] });

/** Requirements built from plausible values (each can still break a bound: 100 for availability, 0 for latency). */
const plausible = fc.record(
  {
    $schema: fc.string({ maxLength: 8 }),
    name: mostly(["my-app", "acme-shop", "a", "a-1", "x".repeat(40)], ["x".repeat(41), "Bad", "a--b", ""]),
    workload: set(WORKLOADS),
    traffic: section({ peakConcurrentUsers: number(0, 1e12, true), requestsPerSecond: number(0, 1e12, true), eventsPerSecond: number(0, 1e12, true), shape: fc.constantFrom(...TRAFFIC_SHAPES) }),
    latencyMs: number(0, 3_600_000, true),
    availability: number(90, 100),
    rpo: mostly(["0", "30s", "5m", "1.5h", "1d"], ["00", "1.h", "", "1w"]),
    rto: mostly(["0", "15m", "2d"], ["x", "-1d"]),
    audience: fc.constantFrom(...AUDIENCES),
    compliance: set(COMPLIANCE_REGIMES),
    budgetMonthlyUsd: fc.oneof(number(0, 1e12), fc.constant(null)),
    data: section({ sources: number(0, 1e12, true), dailyVolumeGb: number(0, 1e9), freshness: fc.constantFrom(...FRESHNESS), readWriteRatio: number(0, 1e9), auditHistory: fc.boolean() }),
    team: section({ size: number(1, 100_000, true), deploysPerDay: number(0, 100_000), opsCapacity: fc.constantFrom(...OPS_CAPACITY) }),
    batch: section({ peakVcpus: number(0, 1e12, true), interruptible: fc.boolean() }),
  },
  { requiredKeys: ["workload"] },
);

const PATHS: readonly (readonly (string | number)[])[] = [
  ["$schema"], ["name"], ["workload"], ["workload", 0], ["traffic"], ["traffic", "peakConcurrentUsers"], ["traffic", "shape"], ["traffic", "extra"],
  ["latencyMs"], ["availability"], ["rpo"], ["rto"], ["audience"], ["compliance"], ["compliance", 0], ["budgetMonthlyUsd"],
  ["data"], ["data", "sources"], ["data", "auditHistory"], ["data", "freshness"], ["team"], ["team", "size"], ["batch"], ["batch", "interruptible"], ["extra"],
];

/** A plausible input with one value anywhere in it replaced by an odd one. */
const mutated = fc.tuple(plausible, fc.constantFrom(...PATHS), oddValue).map(([input, path, value]) => {
  const copy = structuredClone(input) as Record<string | number, unknown>;
  let node = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (node[key] === null || typeof node[key] !== "object") node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return copy;
});

export const requirements = fc.oneof(plausible, mutated);

describe("quickParseRequirements", () => {
  it("accepts exactly what the schema accepts, with the schema's output", () => {
    fc.assert(fc.property(requirements, (input) => agreesWithSchema(input)), { numRuns: 5_000 });
  });

  it("accepts every example, so a valid file never needs zod", () => {
    for (const dir of ["examples", "examples/cases"]) {
      for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
        const { data } = readDataFile(`${dir}/${name}`);
        expect(quickParseRequirements(data), `${dir}/${name}`).toBeDefined();
        agreesWithSchema(data);
      }
    }
  });
});
