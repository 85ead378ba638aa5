import type { Catalog } from "../catalog/schema.ts";
import { deriveQuantities, statedPaths, type Assessed } from "../requirements/basis.ts";
import { formatSeconds, toSeconds } from "../requirements/duration.ts";
import { FIELDS, getPath, labelOf, type Field } from "../requirements/fields.ts";
import { quickParseRequirements } from "../requirements/quick-parse.ts";
import { estimateCost } from "./cost.ts";
import { compareEntries, scoreOnly, scoreParts, sumParts, type ScoredOnly } from "./rank.ts";

/** A change of one requirement that changes the primary, found by ranking again with it. */
export type Change = {
  on: string;
  /** the value now, and whether the user stated it */
  from: unknown;
  stated: boolean;
  /** the value that changes the primary */
  to: unknown;
  primary: string;
  says: string;
};

/** At most this many changes are reported, nearest first. */
const MOST_CHANGES = 8;
/**
 * At most this many what-if rankings. One costs 0.15-0.4 ms here (a parse, the derivations and 23
 * entries scored; measured on 2 vCPUs), so 80 keep the search within about 20-40 ms of `advise`. Candidates are tried nearest first across all fields, so the budget goes to
 * the changes a team is likeliest to make; a primary that no tried change moves gets an empty list.
 */
const MOST_RANKINGS = 80;

/**
 * For each requirement (stated or not), the value nearest to the current one at which the primary
 * changes, and to what. Candidate values come from the catalog itself: the thresholds of its rules
 * and needs, its envelopes, and the entries' costs for the budget; enums try every value, booleans
 * flip, compliance adds each regime. Each candidate is ranked for real: nothing is guessed.
 */
export function findSensitivity(catalog: Catalog, assessed: Assessed, primary: string, options: { incremental?: boolean; costs?: ReadonlyMap<string, number> } = {}): Change[] {
  const costOf = (p: Catalog[number]) => options.costs?.get(p.id) ?? estimateCost(p, assessed.requirements).monthlyUsd;
  const base = assessed.basis.statedData;
  const all: (Candidate & { field: Field; current: unknown })[] = [];
  for (const field of FIELDS) {
    if (field.path === "name" || field.path === "workload" || field.kind === "list") continue;
    // a field that does not matter for these workloads (and was not stated) is no likely change
    const relevant = assessed.basis.stated.has(field.path) || field.askWhen === undefined || field.askWhen({ workload: assessed.requirements.workload, residency: assessed.requirements.data.residency });
    if (!relevant) continue;
    const current = getPath(assessed.requirements, field.path);
    const seen = new Set<string>([JSON.stringify(current)]);
    for (const c of candidatesFor(field, current, catalog, costOf)) {
      const key = JSON.stringify(c.value);
      if (seen.has(key)) continue;
      seen.add(key);
      all.push({ ...c, field, current });
    }
  }
  all.sort((a, b) => a.distance - b.distance || (a.field.path < b.field.path ? -1 : a.field.path > b.field.path ? 1 : 0));
  const leaderOf = options.incremental === false ? (next: Assessed) => leader(catalog, next) : incrementalLeader(catalog, assessed);
  const changes: Change[] = [];
  const done = new Set<string>();
  let rankings = 0;
  for (const { field, current, value } of all) {
    if (changes.length >= MOST_CHANGES || rankings >= MOST_RANKINGS) break;
    if (done.has(field.path)) continue;
    const data = { ...base } as Record<string, unknown>;
    const [head, leaf] = field.path.split(".") as [string, string | undefined];
    if (leaf === undefined) data[head] = value;
    else data[head] = { ...(base[head] as Record<string, unknown> | undefined), [leaf]: value };
    const parsed = quickParseRequirements(data);
    if (parsed === undefined) continue;
    rankings++;
    const next = leaderOf(deriveQuantities(parsed, statedPaths(data), { fresh: true }));
    if (next === primary) continue;
    done.add(field.path);
    const stated = assessed.basis.stated.has(field.path);
    changes.push({
      on: field.path,
      from: current,
      stated,
      to: value,
      primary: next,
      says: `${labelOf(field.path)} ${show(field, value)} (${stated ? "now" : "assumed"} ${show(field, current)}) → ${next}`,
    });
  }
  return changes;
}

/** The id that would rank first: the same order as `rank`, without keeping the ranking. */
function leader(catalog: Catalog, assessed: Assessed): string {
  let best: ScoredOnly | undefined;
  for (const pattern of catalog) {
    const entry = scoreOnly(pattern, assessed);
    if (best === undefined || compareEntries(entry, best) < 0) best = entry;
  }
  return best!.id;
}

const FIELD_PATHS = new Set(FIELDS.map((f) => f.path));

/**
 * `leader`, computed incrementally from the base requirements: each entry's score is kept as its
 * parts (src/scoring/rank.ts), and a what-if re-evaluates only the parts that read a path whose
 * value or basis (stated, derived) it changed. A part that reads a path outside the field table
 * is re-evaluated every time. One what-if then costs a few dozen part evaluations instead of every
 * entry's every rule and check: the search's 80 rankings take a fraction of the time. The suite
 * holds this equal to `leader` on every candidate of every example.
 */
function incrementalLeader(catalog: Catalog, base: Assessed): (next: Assessed) => string {
  const entries = catalog.map((pattern) => {
    const parts = scoreParts(pattern).map((part) => {
      // a part that may read anything (the budget check, through the cost estimate) is run once on
      // requirements that record what it reads, and re-evaluated when any of that changes
      let reads = part.reads;
      if (reads.includes("*")) {
        const recorded = new Set<string>();
        part.of({ requirements: recordReads(base.requirements, recorded), basis: base.basis });
        reads = [...recorded];
      }
      return { of: part.of, reads: reads.some((r) => !FIELD_PATHS.has(r)) ? ["*"] : reads };
    });
    return { pattern, parts, values: parts.map((part) => part.of(base)) };
  });
  return (next) => {
    const changed = changedPaths(base, next);
    let best: ScoredOnly | undefined;
    for (const { pattern, parts, values } of entries) {
      const entry = sumParts(pattern, parts.map((part, i) => (part.reads.some((r) => r === "*" || changed.has(r)) ? part.of(next) : values[i]!)));
      if (best === undefined || compareEntries(entry, best) < 0) best = entry;
    }
    return best!.id;
  };
}

/** The field paths whose value, or whose basis (stated, derived), differs between two assessments. */
function changedPaths(a: Assessed, b: Assessed): Set<string> {
  const out = new Set<string>();
  for (const { path } of FIELDS) {
    const x = getPath(a.requirements, path);
    const y = getPath(b.requirements, path);
    const same = x === y || (typeof x === "object" && JSON.stringify(x) === JSON.stringify(y));
    if (!same || a.basis.stated.has(path) !== b.basis.stated.has(path) || a.basis.derived.has(path) !== b.basis.derived.has(path)) out.add(path);
  }
  return out;
}

type Candidate = { value: unknown; distance: number };

function candidatesFor(field: Field, current: unknown, catalog: Catalog, costOf: (p: Catalog[number]) => number): Candidate[] {
  switch (field.kind) {
    case "enum":
      return (field.values ?? []).filter((v) => v !== current).map((value) => ({ value, distance: 1 }));
    case "bool":
      return [{ value: !current, distance: 1 }];
    case "set": {
      const list = Array.isArray(current) ? (current as string[]) : [];
      return (field.values ?? []).filter((v) => !list.includes(v)).map((v) => ({ value: [...list, v], distance: 1 }));
    }
    case "duration": {
      const now = toSeconds(String(current));
      return thresholds(field.path, catalog)
        .flatMap((t) => [t, t / 2])
        .filter((t) => t >= 1 && t !== now)
        .map((t) => ({ value: toDuration(t), distance: Math.abs(Math.log(Math.max(t, 1) / Math.max(now, 1))) }));
    }
    case "int":
    case "number":
    case "budget": {
      const now = typeof current === "number" ? current : undefined;
      let values = thresholds(field.path, catalog).flatMap((t) => nudge(field, t));
      if (field.path === "budgetMonthlyUsd") values = catalog.flatMap((p) => { const c = costOf(p); return [Math.ceil(c), Math.max(1, Math.floor(c * 0.95))]; });
      return values
        .filter((v) => valid(field, v))
        .map((value) => ({ value, distance: now === undefined ? 3 : Math.abs(Math.log(Math.max(value, 0.01) / Math.max(now, 0.01))) }));
    }
    default:
      return [];
  }
}

/** Values where an entry's rules, needs or envelope change their verdict on this path. */
function thresholds(path: string, catalog: Catalog): number[] {
  const out: number[] = [];
  const numeric = (x: unknown) => (typeof x === "number" ? x : typeof x === "string" && /\d/.test(x) ? toSeconds(x) : undefined);
  for (const p of catalog) {
    for (const item of [...p.fit.rules, ...p.fit.handles, ...p.fit.complements]) {
      const condition = (item.when as Record<string, Record<string, unknown>>)[path];
      if (!condition) continue;
      for (const op of ["gte", "gt", "lte", "lt", "eq"]) {
        const v = numeric(condition[op]);
        if (v !== undefined) out.push(op === "gt" ? v + 1 : op === "lt" ? v - 1 : v);
      }
    }
    const e = p.envelope;
    const ceilings: Record<string, number | undefined> = {
      "traffic.peakConcurrentUsers": e.concurrentUsers?.max,
      "traffic.requestsPerSecond": e.requestsPerSecond?.max,
      "traffic.eventsPerSecond": e.eventsPerSecond?.max,
      "traffic.devices": e.devices?.max,
      "batch.peakVcpus": e.batchVcpus?.max,
      latencyMs: e.latencyMs?.typical,
    };
    const ceiling = ceilings[path];
    if (ceiling !== undefined) out.push(ceiling, path === "latencyMs" ? ceiling - 1 : ceiling + 1);
    if (path === "availability") out.push(e.availability, Math.round((e.availability + (100 - e.availability) / 2) * 1000) / 1000);
    if (path === "rpo") out.push(toSeconds(e.rpo));
    if (path === "rto") out.push(toSeconds(e.rto));
  }
  return out;
}

/** A threshold and its neighbours, so both sides of a boundary are tried. */
function nudge(field: Field, t: number): number[] {
  return field.kind === "int" ? [t - 1, t, t + 1] : [t];
}

function valid(field: Field, v: number): boolean {
  if (!Number.isFinite(v) || v < 0) return false;
  if (field.kind === "int" && !Number.isInteger(v)) return false;
  if (field.path === "availability") return v >= 90 && v < 100;
  if (field.path === "team.size") return v >= 1;
  if (field.path === "latencyMs" || field.path === "budgetMonthlyUsd") return v > 0;
  return true;
}

function toDuration(seconds: number): string {
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${Math.round(seconds)}s`;
}

function show(field: Field, value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.join(", ");
  if (field.kind === "duration") return formatSeconds(toSeconds(String(value)));
  if (value === null) return "none";
  return `${String(value)}${field.unit && typeof value === "number" ? ` ${field.unit}` : ""}`;
}

/**
 * The object, through a proxy that adds to `reads` the dotted path of every value read from it
 * (nested objects are followed, not recorded; listing an object's keys records `path.*`).
 */
export function recordReads<T extends object>(target: T, reads: Set<string>, prefix = ""): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      const value: unknown = Reflect.get(t, key, receiver);
      if (typeof key !== "string") return value;
      const path = prefix ? `${prefix}.${key}` : key;
      if (value !== null && typeof value === "object" && !Array.isArray(value)) return recordReads(value, reads, path);
      reads.add(path);
      return value;
    },
    ownKeys(t) {
      reads.add(prefix ? `${prefix}.*` : "*");
      return Reflect.ownKeys(t);
    },
  });
}
