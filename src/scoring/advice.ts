import type { Catalog } from "../catalog/schema.ts";
import type { Assessed } from "../requirements/basis.ts";
import type { Requirements } from "../requirements/schema.ts";
import { rank, type Ranking } from "./rank.ts";
import { recommend, type Recommendation } from "./recommend.ts";
import { findSensitivity, type Change } from "./sensitivity.ts";

export type Advice = {
  requirements: Requirements;
  assessed: Assessed;
  ranking: Ranking;
  recommendation: Recommendation & { sensitivity: Change[] };
};

/** Ranks, recommends and finds what would change the recommendation: the whole advice, pure. */
export function adviseOn(catalog: Catalog, assessed: Assessed): Advice {
  const ranking = rank(catalog, assessed);
  const recommendation = recommend(catalog, ranking, assessed);
  return {
    requirements: assessed.requirements,
    assessed,
    ranking,
    recommendation: { ...recommendation, sensitivity: findSensitivity(catalog, assessed, recommendation.primary) },
  };
}
