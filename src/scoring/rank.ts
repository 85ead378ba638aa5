import type { Catalog, Pattern } from "../catalog/schema.ts";
import type { Requirements } from "../requirements/schema.ts";
import { holds } from "./conditions.ts";
import { estimateCost, type CostEstimate } from "./cost.ts";
import { checkEnvelope } from "./criteria.ts";

export type Reason = { on: string; points: number; says: string };
export type Unmet = { on: string; says: string };
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
export function rank(catalog: Catalog, requirements: Requirements): Ranking {
  return catalog.map((pattern) => scoreEntry(pattern, requirements)).sort(compareEntries);
}

/** Best score first; then fewer unmet constraints; then concrete patterns; then id. */
export function compareEntries(a: RankedEntry, b: RankedEntry): number {
  return (
    b.score - a.score ||
    a.unmet.length - b.unmet.length ||
    (a.kind === b.kind ? 0 : a.kind === "pattern" ? -1 : 1) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function scoreEntry(pattern: Pattern, requirements: Requirements): RankedEntry {
  const cost = estimateCost(pattern, requirements);
  const reasons: Reason[] = [...workloadReasons(pattern, requirements)];
  const unmet: Unmet[] = [];
  for (const rule of pattern.fit.rules) {
    if (holds(rule.when, requirements)) {
      reasons.push({ on: rule.on ?? Object.keys(rule.when)[0]!, points: rule.points, says: rule.says });
    }
  }
  for (const check of checkEnvelope(pattern, requirements, cost)) {
    if (!check.met) {
      reasons.push({ on: check.on, points: -check.penalty, says: check.says });
      unmet.push({ on: check.on, says: check.says });
    } else if (check.bonus > 0) {
      reasons.push({ on: check.on, points: check.bonus, says: check.says });
    }
  }
  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  if (total < 0) reasons.push({ on: "score", points: -total, says: `Scores stop at 0; ${-total} penalty points beyond that are not counted.` });
  if (total > 100) reasons.push({ on: "score", points: 100 - total, says: `Scores stop at 100; ${total - 100} points beyond that are not counted.` });
  const score = Math.min(100, Math.max(0, total));
  return { id: pattern.id, title: pattern.title, kind: pattern.kind, score, reasons, unmet, cost };
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
