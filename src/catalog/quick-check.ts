import { inBounds, type Bounds } from "../number-bounds.ts";
import { DURATION_PATTERN } from "../requirements/duration.ts";
import { FIELD_BY_PATH } from "../requirements/fields.ts";
import { COMPLIANCE_REGIMES, KEBAB_NAME, WORKLOADS } from "../requirements/values.ts";
import { isNumericPath, patternProblems, whenProblems } from "./checks.ts";
import type { Pattern, When } from "./schema.ts";
import { HOST_PARTS, NAG_PACKS, PATTERN_KINDS, PILLARS, TIERS } from "./values.ts";

/**
 * A catalog entry that is plainly valid, as `patternSchema` returns it (defaults filled, text
 * trimmed, keys in the schema's order); `undefined` for anything else, which the schema then
 * reports with every problem named. zod needs about 0.3 ms an entry on a cold start, and a folder of
 * a thousand entries is mostly valid entries: this check is ten times quicker. It must accept
 * exactly what the schema accepts and return what it returns: test/quick-check.test.ts holds it to
 * that on every built-in entry and on thousands of altered ones, so a change to the schema without
 * one here fails the suite. The rules beyond types are shared with the schema (src/catalog/checks.ts).
 */
export function quickCheckPattern(input: unknown): Pattern | undefined {
  const out = pattern(input);
  if (out === BAD) return undefined;
  let ok = true;
  patternProblems(out as Pattern, () => (ok = false));
  return ok ? (out as Pattern) : undefined;
}

const BAD = Symbol("bad");
type Check = (input: unknown) => unknown;

/** A plain object of the data a file gives (not an array, not a class instance). */
function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;
}

/** zod's strictObject: no unknown keys; each field checked in the shape's order; absent optional fields stay absent. */
function object(shape: Record<string, Check>): Check {
  const keys = Object.keys(shape);
  return (x) => {
    if (!isRecord(x)) return BAD;
    for (const key in x) if (!Object.hasOwn(shape, key)) return BAD;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const value = shape[key]!(x[key]);
      if (value === BAD) return BAD;
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
}

function optional(check: Check): Check {
  return (x) => (x === undefined ? undefined : check(x));
}

/** zod's `.default()`: the value when absent (not checked), a fresh copy of a list. */
function withDefault(check: Check, value: unknown): Check {
  return (x) => (x === undefined ? (Array.isArray(value) ? [...value] : value) : check(x));
}

function array(item: Check, min = 0): Check {
  return (x) => {
    if (!Array.isArray(x) || x.length < min) return BAD;
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) {
      const value = item(x[i]);
      if (value === BAD) return BAD;
      out[i] = value;
    }
    return out;
  };
}

function oneOf(values: readonly string[]): Check {
  const set = new Set<unknown>(values);
  return (x) => (set.has(x) ? x : BAD);
}

/** zod's number with its bounds. */
function number(bounds: Bounds = {}): Check {
  return (x) => (inBounds(x, bounds) ? x : BAD);
}

function string(test?: (s: string) => boolean): Check {
  return (x) => (typeof x === "string" && (test === undefined || test(x)) ? x : BAD);
}

/** zod's `z.string().trim().min(1)`: the trimmed text, not empty. */
const text: Check = (x) => {
  if (typeof x !== "string") return BAD;
  const trimmed = x.trim();
  return trimmed.length >= 1 ? trimmed : BAD;
};
const sentences = array(text, 1);
const matches = (pattern: RegExp) => string((s) => pattern.test(s));
const kebabId = matches(KEBAB_NAME);
const scalar: Check = (x) => (typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x)) ? x : BAD);
const strings = (min: number) => array(string(), min);

const condition = object({
  gte: optional(scalar),
  gt: optional(scalar),
  lte: optional(scalar),
  lt: optional(scalar),
  eq: optional(scalar),
  in: optional(strings(1)),
  notIn: optional(strings(1)),
  includes: optional(string()),
  includesAny: optional(strings(1)),
  excludes: optional(string()),
  isEmpty: optional((x) => (typeof x === "boolean" ? x : BAD)),
});

/** `when`: a mapping of requirement paths to conditions, with the schema's own rules. */
const when: Check = (x) => {
  if (!isRecord(x)) return BAD;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(x)) {
    const value = condition(x[key]);
    if (value === BAD) return BAD;
    out[key] = value;
  }
  let ok = true;
  whenProblems(out as When, () => (ok = false));
  return ok ? out : BAD;
};

const WORKLOAD_SET = new Set<string>(WORKLOADS);
const WORKLOAD_POINTS = number({ int: true, min: -40, max: 40 });
const workloadPoints: Check = (x) => {
  if (!isRecord(x)) return BAD;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(x)) {
    if (!WORKLOAD_SET.has(key)) return BAD;
    const value = WORKLOAD_POINTS(x[key]);
    if (value === BAD) return BAD;
    out[key] = value;
  }
  return out;
};

const ceiling = object({ max: number({ gt: 0 }) });
const need = object({ on: string((p) => FIELD_BY_PATH.has(p)), when, says: text });
const cloudFormationTypes = array(matches(/^AWS::\w+::\w+$/), 1);

const pattern = object({
  id: kebabId,
  title: text,
  kind: oneOf(PATTERN_KINDS),
  summary: text,
  problem: text,
  embodies: withDefault(array(kebabId), []),
  services: array(object({ id: kebabId, name: text, role: text }), 1),
  diagram: object({
    direction: withDefault(oneOf(["LR", "TB"]), "LR"),
    nodes: array(object({ id: kebabId, service: optional(kebabId), label: optional(text), group: optional(text), tier: optional(oneOf(TIERS)) }), 2),
    edges: array(object({ from: kebabId, to: kebabId, label: optional(text) }), 1),
    attach: withDefault(array(object({ node: kebabId, tier: oneOf(TIERS), direction: withDefault(oneOf(["from", "to"]), "from"), label: optional(text) })), []),
  }),
  whyItWorks: sentences,
  pros: sentences,
  cons: sentences,
  pillars: optional(object(Object.fromEntries(PILLARS.map((p) => [p, text])))),
  risks: withDefault(array(object({ risk: text, mitigation: text })), []),
  envelope: object({
    concurrentUsers: optional(ceiling),
    requestsPerSecond: optional(ceiling),
    eventsPerSecond: optional(ceiling),
    batchVcpus: optional(ceiling),
    latencyMs: optional(object({ typical: number({ int: true, gt: 0 }) })),
    availability: number({ min: 90, lt: 100 }),
    rpo: matches(DURATION_PATTERN),
    rto: matches(DURATION_PATTERN),
    compliance: withDefault(array(oneOf(COMPLIANCE_REGIMES)), []),
    cost: object({
      floorMonthlyUsd: number({ min: 0 }),
      terms: withDefault(array(object({ per: string(isNumericPath), unit: number({ gt: 0 }), usd: number({ min: 0 }), says: text })), []),
      pricesAsOf: matches(/^\d{4}-\d{2}$/),
      notes: optional(text),
    }),
  }),
  fit: object({
    workloads: workloadPoints,
    rules: withDefault(array(object({ when, points: number({ int: true, min: -40, max: 40, not: 0 }), says: text, on: optional(string()) })), []),
    handles: withDefault(array(need), []),
    complements: withDefault(array(need), []),
  }),
  scaffold: optional(
    object({
      resources: cloudFormationTypes,
      nagPacks: withDefault(array(oneOf(NAG_PACKS)), []),
      provides: withDefault(array(oneOf(HOST_PARTS)), []),
      compliance: withDefault(array(oneOf(COMPLIANCE_REGIMES)), []),
      viaSettings: optional(text),
      addon: optional(
        object({
          construct: matches(/^[A-Z][A-Za-z0-9]*$/),
          module: matches(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/),
          needs: withDefault(array(oneOf(HOST_PARTS)), []),
          resources: cloudFormationTypes,
          says: text,
        }),
      ),
    }),
  ),
});
