import type { Catalog } from "../catalog/schema.ts";
import type { Requirements } from "../requirements/schema.ts";
import { holds } from "./conditions.ts";
import { labelOf } from "../requirements/fields.ts";
import { formatUsd } from "./cost.ts";
import type { Ranking } from "./rank.ts";

export type ComplementReason = { id: string; on: string; says: string };
export type Recommendation = {
  primary: string;
  complements: string[];
  /** why each complement was added: the need it covers */
  because: ComplementReason[];
  /** needs a complement would cover but that were left open, and why */
  notes: string[];
};

export const MAX_COMPLEMENTS = 3;

/**
 * The primary is the best-ranked entry. A complement is an entry whose `fit.complements` need holds
 * for these requirements, that the primary does not already embody or handle, and that fits what
 * the budget leaves. One complement per need, best-ranked first.
 */
export function recommend(catalog: Catalog, ranking: Ranking, requirements: Requirements): Recommendation {
  const first = ranking[0];
  if (!first) throw new Error("cannot recommend from an empty ranking");
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const primary = byId.get(first.id)!;
  const handled = new Set(primary.fit.handles.filter((need) => holds(need.when, requirements)).map((need) => need.on));
  const covered = new Set<string>();
  let spent = first.cost.monthlyUsd;
  const result: Recommendation = { primary: primary.id, complements: [], because: [], notes: [] };

  for (const entry of ranking.slice(1)) {
    if (result.complements.length >= MAX_COMPLEMENTS) break;
    const candidate = byId.get(entry.id)!;
    if (primary.embodies.includes(candidate.id)) continue;
    const needs = candidate.fit.complements.filter((n) => holds(n.when, requirements) && !handled.has(n.on) && !covered.has(n.on));
    const need = needs[0];
    if (!need) continue;
    const extra = candidate.envelope.cost.floorMonthlyUsd;
    if (requirements.budgetMonthlyUsd !== null && spent + extra > requirements.budgetMonthlyUsd) {
      result.notes.push(
        `${candidate.title} (${candidate.id}) would cover ${labelOf(need.on).toLowerCase()}, but adds at least ${formatUsd(extra)} a month, beyond what the ${formatUsd(requirements.budgetMonthlyUsd)} budget leaves.`,
      );
      continue;
    }
    spent += extra;
    for (const n of needs) covered.add(n.on);
    result.complements.push(candidate.id);
    result.because.push({ id: candidate.id, on: need.on, says: need.says });
  }
  return result;
}

