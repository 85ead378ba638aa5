import type { Pattern } from "../catalog/schema.ts";
import { labelOf } from "../requirements/fields.ts";
import type { Assessed } from "../requirements/basis.ts";
import type { Requirements } from "../requirements/schema.ts";
import { appliesTo } from "./rank.ts";
import { estimateCost } from "./cost.ts";
import { checkEnvelope } from "./criteria.ts";

export type Verdict = "met" | "at risk" | "unmet" | "met with complement";
/** met, at risk or unmet: for the primary alone, and for the composed design */
export type PlainVerdict = "met" | "at risk" | "unmet";
export type VerdictRow = {
  on: string;
  requirement: string;
  target: string;
  achieves: string;
  /** the composed design's verdict as the document shows it */
  verdict: Verdict;
  primary: PlainVerdict;
  composed: PlainVerdict;
  /** the complement that meets it, when the primary alone does not */
  by?: string;
  reason: string;
};

/**
 * One row per requirement the design can be held to: the workloads, then every envelope check.
 * An unmet check that a recommended complement covers is "met with complement", naming it.
 */
export function judge(primary: Pattern, complements: readonly Pattern[], assessed: Assessed): VerdictRow[] {
  const { requirements } = assessed;
  const rows: VerdictRow[] = [workloadRow(primary, requirements)];
  for (const check of checkEnvelope(primary, requirements, estimateCost(primary, requirements), assessed.basis)) {
    // a complement meets it when one of its needs on this requirement holds and its own envelope meets it too
    const coveredBy = check.met
      ? undefined
      : complements.find(
          (c) =>
            c.fit.complements.some((n) => n.on === check.on && appliesTo(n.when, assessed)) &&
            checkEnvelope(c, requirements, estimateCost(c, requirements), assessed.basis).find((own) => own.on === check.on)?.met !== false,
        );
    const primaryVerdict: PlainVerdict = check.met ? (check.atRisk ? "at risk" : "met") : "unmet";
    rows.push({
      on: check.on,
      requirement: labelOf(check.on),
      target: check.target(),
      achieves: check.achieves(),
      verdict: check.met ? primaryVerdict : coveredBy ? "met with complement" : "unmet",
      primary: primaryVerdict,
      composed: coveredBy ? "met" : primaryVerdict,
      ...(coveredBy ? { by: coveredBy.id } : {}),
      reason: coveredBy ? `${check.says()} ${coveredBy.title} covers it.` : check.atRisk ? `${check.says()} At risk: ${check.atRisk}.` : check.says(),
    });
  }
  return rows;
}

function workloadRow(primary: Pattern, requirements: Requirements): VerdictRow {
  const weights = requirements.workload.map((w) => [w, primary.fit.workloads[w] ?? 0] as const);
  const weak = weights.filter(([, weight]) => weight < 20).map(([w]) => w);
  const wrong = weights.filter(([, weight]) => weight <= 0).map(([w]) => w);
  return {
    on: "workload",
    requirement: labelOf("workload"),
    target: requirements.workload.join(", "),
    achieves: weights.map(([w, weight]) => `${w} ${weight}/40`).join(", "),
    verdict: wrong.length > 0 ? "unmet" : weak.length > 0 ? "at risk" : "met",
    primary: wrong.length > 0 ? "unmet" : weak.length > 0 ? "at risk" : "met",
    composed: wrong.length > 0 ? "unmet" : weak.length > 0 ? "at risk" : "met",
    reason:
      wrong.length > 0
        ? `Not designed for ${wrong.join(", ")}.`
        : weak.length > 0
          ? `Only a partial fit for ${weak.join(", ")}; expect extra components there.`
          : `Designed for ${requirements.workload.join(" and ")} workloads.`,
  };
}
