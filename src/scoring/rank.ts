import type { Catalog, Pattern } from "../catalog/schema.ts";
import { isKnown, type Assessed, type Basis } from "../requirements/basis.ts";
import type { Requirements } from "../requirements/schema.ts";
import { holds } from "./conditions.ts";
import { estimateCost, type CostEstimate } from "./cost.ts";
import { CRITERIA, CRITERION_READS, checkEnvelope } from "./criteria.ts";

/** One point-bearing sentence; `derived` when the requirement it rests on was derived, not stated. */
export type Reason = { on: string; points: number; says: string; derived?: true };
/** A constraint the entry misses; `hard` for law and contract (compliance, data residency). */
export type Unmet = { on: string; says: string; hard?: true };
export type RankedEntry = {
  id: string;
  title: string;
  kind: Pattern["kind"];
  score: number;
  reasons: Reason[];
  unmet: Unmet[];
  cost: CostEstimate;
};
export type Ranking = RankedEntry[];

/** Scores every entry against the requirements, best first. Pure and deterministic. */
export function rank(catalog: Catalog, assessed: Assessed): Ranking {
  return catalog.map((pattern) => scoreEntry(pattern, assessed)).sort(compareEntries);
}

/** True when the entry misses a hard constraint. */
export function missesHard(entry: Pick<RankedEntry, "unmet">): boolean {
  return entry.unmet.some((u) => u.hard === true);
}

/**
 * Entries that meet every hard constraint first (a design the law or a contract rules out is no
 * option, however well it scores otherwise); then best score; then fewer unmet constraints; then
 * concrete patterns; then id. Soft misses (availability, RPO, budget, ...) are only points: a
 * design that misses one narrowly may still be the best starting point, and the report says so.
 */
export function compareEntries(a: Pick<RankedEntry, "id" | "kind" | "score" | "unmet">, b: Pick<RankedEntry, "id" | "kind" | "score" | "unmet">): number {
  return (
    Number(missesHard(a)) - Number(missesHard(b)) ||
    b.score - a.score ||
    a.unmet.length - b.unmet.length ||
    (a.kind === b.kind ? 0 : a.kind === "pattern" ? -1 : 1) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** A rule or need applies only when every field it reads is known: stated, or derived from stated ones. */
export function appliesTo(when: Record<string, unknown>, assessed: Assessed): boolean {
  return Object.keys(when).every((path) => isKnown(assessed.basis, path)) && holds(when as never, assessed.requirements);
}

export function scoreEntry(pattern: Pattern, assessed: Assessed): RankedEntry {
  const { requirements, basis } = assessed;
  const cost = estimateCost(pattern, requirements);
  const reasons: Reason[] = [...workloadReasons(pattern, requirements)];
  const unmet: Unmet[] = [];
  const mark = (on: string, basis: Basis) => (basis.derived.has(on) ? { derived: true as const } : {});
  for (const rule of pattern.fit.rules) {
    if (appliesTo(rule.when, assessed)) {
      const on = rule.on ?? Object.keys(rule.when)[0]!;
      reasons.push({ on, points: rule.points, says: rule.says, ...mark(on, basis) });
    }
  }
  for (const check of checkEnvelope(pattern, requirements, cost, basis)) {
    if (!check.met) {
      const says = check.says();
      reasons.push({ on: check.on, points: -check.penalty, says, ...mark(check.on, basis) });
      unmet.push({ on: check.on, says, ...(check.hard ? { hard: true as const } : {}) });
    } else if (check.bonus > 0) {
      reasons.push({ on: check.on, points: check.bonus, says: check.says(), ...mark(check.on, basis) });
    }
  }
  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  if (total < 0) reasons.push({ on: "score", points: -total, says: `Scores stop at 0; ${-total} penalty points beyond that are not counted.` });
  if (total > 100) reasons.push({ on: "score", points: 100 - total, says: `Scores stop at 100; ${total - 100} points beyond that are not counted.` });
  const score = Math.min(100, Math.max(0, total));
  return { id: pattern.id, title: pattern.title, kind: pattern.kind, score, reasons, unmet, cost };
}

/**
 * The score and what the order needs (hard misses, unmet count), without building a single
 * sentence: for the what-if rankings of the sensitivity search, where only the leader matters.
 * The same points as scoreEntry, held equal to it in test/unknown-is-unknown.test.ts.
 */
export function scoreOnly(pattern: Pattern, assessed: Assessed): ScoredOnly {
  return sumParts(pattern, scoreParts(pattern).map((part) => part.of(assessed)));
}

export type ScoredOnly = Pick<RankedEntry, "id" | "kind" | "score" | "unmet">;
/** What one addend of a score gives: points, and the constraint it misses if any. */
export type PartValue = { points: number; unmet?: Unmet };
/**
 * One addend of an entry's score (its workloads, one rule, one envelope criterion) and the
 * requirement paths it reads: when a what-if changes none of them, its value stands.
 */
export type ScorePart = { reads: readonly string[]; of: (assessed: Assessed) => PartValue };

/** An entry's score as its addends, in the order scoreEntry adds them. */
export function scoreParts(pattern: Pattern): ScorePart[] {
  return [
    {
      reads: ["workload"],
      of: ({ requirements: r }) => ({ points: r.workload.reduce((total, w) => total + Math.round((pattern.fit.workloads[w] ?? 0) / r.workload.length), 0) }),
    },
    ...pattern.fit.rules.map((rule) => ({ reads: Object.keys(rule.when), of: (a: Assessed) => ({ points: appliesTo(rule.when, a) ? rule.points : 0 }) })),
    ...CRITERIA.map((criterion) => ({
      reads: CRITERION_READS.get(criterion) ?? ["*"],
      of: ({ requirements, basis }: Assessed): PartValue => {
        const check = criterion(pattern, requirements, () => estimateCost(pattern, requirements));
        if (check === undefined || !isKnown(basis, check.on)) return { points: 0 };
        if (check.met) return { points: check.bonus };
        return { points: -check.penalty, unmet: check.hard ? { on: check.on, says: "", hard: true } : { on: check.on, says: "" } };
      },
    })),
  ];
}

/** The entry's score from its parts' values: summed, then held within 0-100. */
export function sumParts(pattern: Pattern, values: readonly PartValue[]): ScoredOnly {
  let total = 0;
  const unmet: Unmet[] = [];
  for (const v of values) {
    total += v.points;
    if (v.unmet) unmet.push(v.unmet);
  }
  return { id: pattern.id, kind: pattern.kind, score: Math.min(100, Math.max(0, total)), unmet };
}

/** One reason per requested workload: the entry's weight for it, shared across the workloads asked for. */
function workloadReasons(pattern: Pattern, requirements: Requirements): Reason[] {
  const count = requirements.workload.length;
  return requirements.workload.map((workload) => {
    const weight = pattern.fit.workloads[workload] ?? 0;
    const points = Math.round(weight / count);
    const share = count > 1 ? ` (${weight} shared across ${count} workloads)` : "";
    const verdict =
      weight >= 35 ? "Built for" : weight >= 20 ? "A strong fit for" : weight > 0 ? "Can serve" : weight === 0 ? "Not aimed at" : "A poor fit for";
    return { on: "workload", points, says: `${verdict} ${workload} workloads${share}.` };
  });
}
