import type { Catalog, Pattern } from "../catalog/schema.ts";
import type { Requirements } from "../requirements/schema.ts";
import type { Workload } from "../requirements/values.ts";
import { missesHard, type RankedEntry, type Ranking } from "./rank.ts";

export const FITS = ["strong", "fair", "weak", "none"] as const;
export type Fit = (typeof FITS)[number];

/**
 * The thresholds behind `recommendation.fit`, in one place with their reasons.
 * - `builtFor` 35 and `serves` 20 are the workload weights the catalog itself calls "Built for" and
 *   "A strong fit for" (fit.workloads runs from -40 to 40). A workload no entry serves at 20 or
 *   more is one the catalog does not cover; one no entry is built for is covered only in part.
 * - `share`: the primary's score over the points achievable for these requirements (for each
 *   requirement, the most any entry earned on it, summed; at most 100, the top score). At 0.6 the primary collects most of
 *   what any entry could; below 0.4 it collects less than half of it, which is a weak fit however
 *   it ranks.
 * - `margin`: the lead over the best alternative the primary does not embody, as a share of the
 *   achievable points. 0.08 is about one rule's worth (8 of 100 points at most): less than that, a
 *   single unstated fact could swap them, so the fit is fair at best. `strongLead` asks the same in
 *   points (10, a typical rule), so that a sparse file, where few points are achievable at all,
 *   cannot look strong on a workload weight alone.
 */
export const FIT_THRESHOLDS = { builtFor: 35, serves: 20, strongShare: 0.6, fairShare: 0.4, strongMargin: 0.08, strongLead: 10 } as const;

export type FitDetail = {
  fit: Fit;
  /** primary score / achievable points, 0-1 */
  share: number;
  /** lead over the best alternative, in points */
  margin: number;
  /** points achievable for these requirements */
  achievable: number;
  /** the best alternative the margin is measured against */
  runnerUp?: string;
  /** requested workloads no entry serves */
  uncovered: Workload[];
  /** requested workloads no entry is built for, though some serve them */
  partial: Workload[];
  /** the plain-words verdict, said first when the fit is weak or none */
  says: string;
};

export function assessFit(catalog: Catalog, ranking: Ranking, requirements: Requirements): FitDetail {
  const first = ranking[0]!;
  const primary = catalog.find((p) => p.id === first.id)!;
  const best = (w: Workload) => Math.max(0, ...catalog.map((p) => p.fit.workloads[w] ?? 0));
  const uncovered = requirements.workload.filter((w) => best(w) < FIT_THRESHOLDS.serves);
  const partial = requirements.workload.filter((w) => best(w) >= FIT_THRESHOLDS.serves && best(w) < FIT_THRESHOLDS.builtFor);
  const achievable = Math.min(100, achievablePoints(ranking));
  const share = achievable > 0 ? Math.max(0, first.score) / achievable : 0;
  const alternative = ranking.slice(1).find((e) => !primary.embodies.includes(e.id));
  const margin = first.score - (alternative?.score ?? 0);
  const lead = achievable > 0 ? margin / achievable : 0;
  const T = FIT_THRESHOLDS;
  const fit: Fit =
    uncovered.length === requirements.workload.length
      ? "none"
      : uncovered.length > 0 || missesHard(first) || share < T.fairShare
        ? "weak"
        : share >= T.strongShare && lead >= T.strongMargin && margin >= T.strongLead && partial.length === 0 && servesAll(primary, requirements)
          ? "strong"
          : "fair";
  return {
    fit,
    share: Math.round(share * 100) / 100,
    margin,
    achievable,
    ...(alternative ? { runnerUp: alternative.id } : {}),
    uncovered,
    partial,
    says: sayFit(fit, primary, first, uncovered, partial, alternative, share >= T.strongShare),
  };
}

/** The primary serves every requested workload (a weight of at least `serves`). */
function servesAll(primary: Pattern, r: Requirements): boolean {
  return r.workload.every((w) => (primary.fit.workloads[w] ?? 0) >= FIT_THRESHOLDS.serves);
}

/** For each requirement, the most points any entry earned on it; summed. */
export function achievablePoints(ranking: Ranking): number {
  const most = new Map<string, number>();
  for (const entry of ranking) {
    const byOn = new Map<string, number>();
    for (const r of entry.reasons) if (r.on !== "score") byOn.set(r.on, (byOn.get(r.on) ?? 0) + r.points);
    for (const [on, points] of byOn) most.set(on, Math.max(most.get(on) ?? 0, points));
  }
  return [...most.values()].reduce((sum, x) => sum + x, 0);
}

function sayFit(fit: Fit, primary: Pattern, first: RankedEntry, uncovered: Workload[], partial: Workload[], alternative: RankedEntry | undefined, highShare: boolean): string {
  const lacks = uncovered.length > 0 ? `Nothing in the catalog is designed for ${uncovered.join(" or ")} workloads. ` : "";
  switch (fit) {
    case "none":
      return first.score <= 0
        ? `${lacks}No entry earns a single point for these requirements, so none is even a starting point; the first row is first only by the order of ties.`
        : `${lacks}${primary.title} is only the nearest entry: a starting point to adapt, not a recommendation.`;
    case "weak":
      if (missesHard(first))
        return `No entry meets every hard constraint (${first.unmet.filter((u) => u.hard).map((u) => u.on).join(", ")}); ${primary.title} is the nearest, as a starting point, not a recommendation.`;
      return `${lacks}${primary.title} fits only weakly: it collects a small share of the points these requirements make possible. Treat it as a starting point, not a recommendation.`;
    case "fair":
      if (partial.length > 0) return `${primary.title} fits fairly: no entry is built for ${partial.join(" or ")}, so expect to add parts of your own.`;
      if (!highShare) return `${primary.title} fits fairly: it leads, but collects well under the points these requirements make possible; read its unmet constraints and reasons before relying on it.`;
      return `${primary.title} fits fairly${alternative ? `: ${alternative.title} is close behind (${first.score - alternative.score} points), and a requirement not yet stated could swap them` : ""}.`;
    case "strong":
      return `${primary.title} fits strongly: it collects most of the achievable points and leads clearly.`;
  }
}
