import { formatNumber } from "../format-number.ts";
import type { Pattern } from "../catalog/schema.ts";
import { formatSeconds, toSeconds } from "../requirements/duration.ts";
import type { Requirements } from "../requirements/schema.ts";
import { USER_FACING_WORKLOADS } from "../requirements/values.ts";
import { formatUsd, type CostEstimate } from "./cost.ts";

/**
 * The envelope checks: each criterion compares one requirement with what the entry achieves as
 * designed, and returns a Check. Scoring turns checks into points (a penalty when unmet, a small
 * bonus when a demanding target is met); the design document turns the same checks into verdicts.
 * Pattern knowledge comes only from YAML.
 */
export type Check = {
  /** requirement path */
  on: string;
  /** the requirement, as a person reads it */
  target: string;
  /** what the entry achieves as designed */
  achieves: string;
  met: boolean;
  /** met, but with little margin: why */
  atRisk?: string;
  /** points lost when unmet */
  penalty: number;
  /** points won when met: a demanding target reached, or a budget kept */
  bonus: number;
  says: string;
};
export type Criterion = (pattern: Pattern, requirements: Requirements, cost: CostEstimate) => Check | undefined;

/** Points for a demanding requirement the entry meets. */
export const MET_BONUS = 4;

const n = formatNumber;

export const meetsAvailability: Criterion = (p, r) => {
  const achieves = p.envelope.availability;
  const met = r.availability <= achieves;
  return {
    on: "availability",
    target: `${r.availability}%`,
    achieves: `${achieves}%`,
    met,
    ...(met && r.availability === achieves && r.availability >= 99.9 ? { atRisk: "the target equals the design's ceiling, with no margin for error" } : {}),
    penalty: 20,
    bonus: r.availability >= 99.95 ? MET_BONUS : 0,
    says: met
      ? `Reaches the ${r.availability}% availability target (designed for ${achieves}%).`
      : `Designed for ${achieves}% availability; the target is ${r.availability}%.`,
  };
};

export const meetsRpo: Criterion = (p, r) => recovery("rpo", "data loss", p.envelope.rpo, r.rpo, 20);
export const meetsRto: Criterion = (p, r) => recovery("rto", "recovery time", p.envelope.rto, r.rto, 15);

function recovery(on: "rpo" | "rto", what: string, achievable: string, target: string, penalty: number): Check {
  const best = toSeconds(achievable);
  const wanted = toSeconds(target);
  const name = on.toUpperCase();
  const met = wanted >= best;
  return {
    on,
    target: formatSeconds(wanted),
    achieves: `${formatSeconds(best)} at best`,
    met,
    ...(met && wanted === best ? { atRisk: "the target equals the best the design achieves; recovery must go as rehearsed" } : {}),
    penalty,
    bonus: wanted <= 3600 ? MET_BONUS : 0,
    says: met
      ? `Reaches the ${formatSeconds(wanted)} ${name} (best achievable ${formatSeconds(best)}).`
      : `Its best ${name} is ${formatSeconds(best)}; the target allows ${formatSeconds(wanted)} of ${what}.`,
  };
}

export const meetsLatency: Criterion = (p, r) => {
  const typical = p.envelope.latencyMs?.typical;
  if (typical === undefined || !r.workload.some((w) => USER_FACING_WORKLOADS.includes(w))) return undefined;
  const met = r.latencyMs >= typical;
  return {
    on: "latencyMs",
    target: `p99 ${n(r.latencyMs)} ms`,
    achieves: `p99 about ${n(typical)} ms`,
    met,
    ...(met && typical > r.latencyMs * 0.8 ? { atRisk: "typical p99 is within 20% of the target" } : {}),
    penalty: 10,
    bonus: r.latencyMs <= 200 ? MET_BONUS : 0,
    says: met
      ? `Typical p99 of about ${typical} ms fits the ${r.latencyMs} ms target.`
      : `Typical p99 is about ${typical} ms; the target is ${r.latencyMs} ms.`,
  };
};

export const withinConcurrency: Criterion = (p, r) =>
  ceiling("traffic.peakConcurrentUsers", "concurrent users", p.envelope.concurrentUsers?.max, r.traffic.peakConcurrentUsers, 10_000);
export const withinRequestRate: Criterion = (p, r) =>
  ceiling("traffic.requestsPerSecond", "requests per second", p.envelope.requestsPerSecond?.max, r.traffic.requestsPerSecond, 1_000);
export const withinEventRate: Criterion = (p, r) =>
  ceiling("traffic.eventsPerSecond", "events per second", p.envelope.eventsPerSecond?.max, r.traffic.eventsPerSecond, 1_000);
export const withinBatchVcpus: Criterion = (p, r) =>
  ceiling("batch.peakVcpus", "batch vCPUs", p.envelope.batchVcpus?.max, r.batch.peakVcpus, 500);

function ceiling(on: string, what: string, max: number | undefined, wanted: number, demanding: number): Check | undefined {
  if (max === undefined || wanted === 0) return undefined;
  const met = wanted <= max;
  return {
    on,
    target: `${n(wanted)} ${what}`,
    achieves: `up to ${n(max)}`,
    met,
    ...(met && wanted > max * 0.7 ? { atRisk: `the peak uses ${Math.round((wanted / max) * 100)}% of the design's ceiling` } : {}),
    penalty: 15,
    bonus: wanted >= demanding ? MET_BONUS : 0,
    says: met ? `Handles ${n(wanted)} ${what} (designed for up to ${n(max)}).` : `Designed for up to ${n(max)} ${what}; the peak is ${n(wanted)}.`,
  };
}

export const meetsCompliance: Criterion = (p, r) => {
  if (r.compliance.length === 0) return undefined;
  const missing = r.compliance.filter((c) => !p.envelope.compliance.includes(c));
  const met = missing.length === 0;
  return {
    on: "compliance",
    target: r.compliance.join(", "),
    achieves: p.envelope.compliance.length > 0 ? p.envelope.compliance.join(", ") : "none",
    met,
    penalty: 20,
    bonus: MET_BONUS,
    says: met ? `Can be run under ${r.compliance.join(", ")} as designed.` : `Not designed to be run under ${missing.join(", ")}.`,
  };
};

export const withinBudget: Criterion = (_p, r, cost) => {
  const budget = r.budgetMonthlyUsd;
  if (budget === null) return undefined;
  const estimate = `about ${formatUsd(cost.monthlyUsd)} a month at this scale (floor ${formatUsd(cost.floorMonthlyUsd)})`;
  const met = cost.monthlyUsd <= budget;
  const far = cost.monthlyUsd > budget * 3;
  return {
    on: "budgetMonthlyUsd",
    target: `${formatUsd(budget)} a month`,
    achieves: `about ${formatUsd(cost.monthlyUsd)} a month`,
    met,
    ...(met && cost.monthlyUsd > budget * 0.8 ? { atRisk: `the estimate uses ${Math.round((cost.monthlyUsd / budget) * 100)}% of the budget` } : {}),
    penalty: far ? 25 : 15,
    bonus: 5,
    says: met
      ? `Costs ${estimate}, within the ${formatUsd(budget)} budget.`
      : `Costs ${estimate}, ${far ? "more than three times" : "over"} the ${formatUsd(budget)} budget.`,
  };
};

export const CRITERIA: readonly Criterion[] = [
  meetsAvailability,
  meetsRpo,
  meetsRto,
  meetsLatency,
  withinConcurrency,
  withinRequestRate,
  withinEventRate,
  withinBatchVcpus,
  meetsCompliance,
  withinBudget,
];

/** Every check that applies to these requirements, in the order of CRITERIA. */
export function checkEnvelope(pattern: Pattern, requirements: Requirements, cost: CostEstimate): Check[] {
  return CRITERIA.map((criterion) => criterion(pattern, requirements, cost)).filter((c): c is Check => c !== undefined);
}
