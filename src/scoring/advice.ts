import type { Catalog } from "../catalog/schema.ts";
import type { Assessed } from "../requirements/basis.ts";
import type { Requirements } from "../requirements/schema.ts";
import { rank, type Ranking } from "./rank.ts";
import { recommend, type Recommendation } from "./recommend.ts";
import { findSensitivity, type Change } from "./sensitivity.ts";
import { designCost, type DesignCost } from "./design-cost.ts";
import { judge, type VerdictRow } from "./verdicts.ts";

export type Advice = {
  requirements: Requirements;
  assessed: Assessed;
  ranking: Ranking;
  recommendation: Recommendation & { cost: DesignCost; sensitivity: Change[] };
  /** per requirement: the primary alone and the composed design */
  verdicts: VerdictRow[];
};

/** Ranks, recommends and finds what would change the recommendation: the whole advice, pure. */
export function adviseOn(catalog: Catalog, assessed: Assessed, options: { sensitivity?: boolean } = {}): Advice {
  const ranking = rank(catalog, assessed);
  const recommendation = recommend(catalog, ranking, assessed);
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const primary = ranking.find((e) => e.id === recommendation.primary)!;
  return {
    requirements: assessed.requirements,
    assessed,
    ranking,
    recommendation: {
      ...recommendation,
      cost: designCost(catalog, primary.cost, primary.id, recommendation.complements, assessed.requirements),
      // the what-if search is the costliest step; verify and diff read nothing of it
      sensitivity: options.sensitivity === false ? [] : findSensitivity(catalog, assessed, recommendation.primary, { costs: new Map(ranking.map((e) => [e.id, e.cost.monthlyUsd])) }),
    },
    verdicts: judge(byId.get(primary.id)!, recommendation.complements.map((id) => byId.get(id)!), assessed),
  };
}
