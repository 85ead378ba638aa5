import type { Pattern } from "../catalog/schema.ts";
import { formatSeconds, toSeconds } from "../requirements/duration.ts";
import type { Requirements } from "../requirements/schema.ts";
import { USER_FACING_WORKLOADS } from "../requirements/values.ts";
import { formatUsd, type CostEstimate } from "./cost.ts";

/**
 * The envelope checks: each criterion compares one requirement with what the entry achieves as
 * designed. A requirement the entry cannot meet is a finding with `unmet: true` and a penalty; a
 * demanding requirement it does meet earns a small bonus. Pattern knowledge comes only from YAML.
 */
export type Finding = { on: string; points: number; says: string; unmet?: true };
export type Criterion = (pattern: Pattern, requirements: Requirements, cost: CostEstimate) => Finding | undefined;

/** Points for a demanding requirement the entry meets. */
export const MET_BONUS = 4;

export const meetsAvailability: Criterion = (p, r) => {
  const achieves = p.envelope.availability;
  if (r.availability > achieves)
    return { on: "availability", points: -20, unmet: true, says: `Designed for ${achieves}% availability; the target is ${r.availability}%.` };
  if (r.availability >= 99.95)
    return { on: "availability", points: MET_BONUS, says: `Reaches the ${r.availability}% availability target (designed for ${achieves}%).` };
  return undefined;
};

export const meetsRpo: Criterion = (p, r) => recovery("rpo", "data loss", p.envelope.rpo, r.rpo, 20);
export const meetsRto: Criterion = (p, r) => recovery("rto", "recovery time", p.envelope.rto, r.rto, 15);

function recovery(on: "rpo" | "rto", what: string, achievable: string, target: string, penalty: number): Finding | undefined {
  const best = toSeconds(achievable);
  const wanted = toSeconds(target);
  const name = on.toUpperCase();
  if (wanted < best)
    return { on, points: -penalty, unmet: true, says: `Its best ${name} is ${formatSeconds(best)}; the target allows ${formatSeconds(wanted)} of ${what}.` };
  if (wanted <= 3600)
    return { on, points: MET_BONUS, says: `Reaches the ${formatSeconds(wanted)} ${name} (best achievable ${formatSeconds(best)}).` };
  return undefined;
}

export const meetsLatency: Criterion = (p, r) => {
  const typical = p.envelope.latencyMs?.typical;
  if (typical === undefined || !r.workload.some((w) => USER_FACING_WORKLOADS.includes(w))) return undefined;
  if (r.latencyMs < typical)
    return { on: "latencyMs", points: -10, unmet: true, says: `Typical p99 is about ${typical} ms; the target is ${r.latencyMs} ms.` };
  if (r.latencyMs <= 200)
    return { on: "latencyMs", points: MET_BONUS, says: `Typical p99 of about ${typical} ms fits the ${r.latencyMs} ms target.` };
  return undefined;
};

export const withinConcurrency: Criterion = (p, r) =>
  ceiling("traffic.peakConcurrentUsers", "concurrent users", p.envelope.concurrentUsers?.max, r.traffic.peakConcurrentUsers, 10_000);
export const withinRequestRate: Criterion = (p, r) =>
  ceiling("traffic.requestsPerSecond", "requests per second", p.envelope.requestsPerSecond?.max, r.traffic.requestsPerSecond, 1_000);
export const withinEventRate: Criterion = (p, r) =>
  ceiling("traffic.eventsPerSecond", "events per second", p.envelope.eventsPerSecond?.max, r.traffic.eventsPerSecond, 1_000);
export const withinBatchVcpus: Criterion = (p, r) =>
  ceiling("batch.peakVcpus", "batch vCPUs", p.envelope.batchVcpus?.max, r.batch.peakVcpus, 500);

function ceiling(on: string, what: string, max: number | undefined, wanted: number, demanding: number): Finding | undefined {
  if (max === undefined) return undefined;
  const n = (x: number) => x.toLocaleString("en-US");
  if (wanted > max)
    return { on, points: -15, unmet: true, says: `Designed for up to ${n(max)} ${what}; the peak is ${n(wanted)}.` };
  if (wanted >= demanding) return { on, points: MET_BONUS, says: `Handles ${n(wanted)} ${what} (designed for up to ${n(max)}).` };
  return undefined;
}

export const meetsCompliance: Criterion = (p, r) => {
  if (r.compliance.length === 0) return undefined;
  const missing = r.compliance.filter((c) => !p.envelope.compliance.includes(c));
  if (missing.length > 0)
    return { on: "compliance", points: -20, unmet: true, says: `Not designed to be run under ${missing.join(", ")}.` };
  return { on: "compliance", points: MET_BONUS, says: `Can be run under ${r.compliance.join(", ")} as designed.` };
};

export const withinBudget: Criterion = (_p, r, cost) => {
  const budget = r.budgetMonthlyUsd;
  if (budget === null) return undefined;
  const estimate = `about ${formatUsd(cost.monthlyUsd)} a month at this scale (floor ${formatUsd(cost.floorMonthlyUsd)})`;
  if (cost.monthlyUsd > budget * 3)
    return { on: "budgetMonthlyUsd", points: -25, unmet: true, says: `Costs ${estimate}, more than three times the ${formatUsd(budget)} budget.` };
  if (cost.monthlyUsd > budget)
    return { on: "budgetMonthlyUsd", points: -15, unmet: true, says: `Costs ${estimate}, over the ${formatUsd(budget)} budget.` };
  return { on: "budgetMonthlyUsd", points: 5, says: `Costs ${estimate}, within the ${formatUsd(budget)} budget.` };
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
