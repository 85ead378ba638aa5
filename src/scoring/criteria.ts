import { formatNumber } from "../format-number.ts";
import type { Pattern } from "../catalog/schema.ts";
import { formatSeconds, toSeconds } from "../requirements/duration.ts";
import type { Requirements } from "../requirements/schema.ts";
import { USER_FACING_WORKLOADS, type ComplianceRegime } from "../requirements/values.ts";
import { formatUsd, type CostEstimate } from "./cost.ts";
import { isKnown, type Basis } from "../requirements/basis.ts";

/**
 * The envelope checks: each criterion compares one requirement with what the entry achieves as
 * designed, and returns a Check. Scoring turns checks into points (a penalty when unmet, a small
 * bonus when a demanding target is met); the design document turns the same checks into verdicts.
 * Pattern knowledge comes only from YAML.
 */
export type Check = {
  /** requirement path */
  on: string;
  /** the requirement, as a person reads it (text is built only when read: ranking what-ifs never read it) */
  target: () => string;
  /** what the entry achieves as designed */
  achieves: () => string;
  met: boolean;
  /** met, but with little margin: why */
  atRisk?: string;
  /** a constraint no score can outweigh (law, contract): compliance and data residency */
  hard?: boolean;
  /** points lost when unmet: graded by how far the entry misses (see missPenalty) */
  penalty: number;
  /** points won when met: a demanding target reached, or a budget kept */
  bonus: number;
  says: () => string;
};
/** `cost` is computed on first call: only the budget check needs it. */
export type Criterion = (pattern: Pattern, requirements: Requirements, cost: () => CostEstimate) => Check | undefined;

/** Points for a demanding requirement the entry meets. */
export const MET_BONUS = 4;

/**
 * What a miss costs, graded by its size. `ratio` is how many times the entry falls short of the
 * target (1.7 when it recovers in 15 minutes against 9; downtime ratios for availability). Half the
 * base for a near miss, the full base at 10 times, 1.5 times the base at 100 times, capped at three
 * times the base. A logarithm, because a miss by 10x is a different design problem from a miss by
 * 1.1x, while 1,000x and 10,000x are both simply the wrong design: so the closest entry stays
 * ahead when every entry misses, and no single miss outweighs everything else.
 */
export function missPenalty(base: number, ratio: number): number {
  return Math.round(base * Math.min(3, 0.5 + 0.5 * Math.log10(Math.max(1, ratio))));
}

/** "1.7×" for a ratio; "more than 1,000×" past that. */
function times(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio >= 1000) return "more than 1,000×";
  return `${ratio >= 10 ? n(Math.round(ratio)) : Math.round(ratio * 10) / 10}×`;
}

const n = formatNumber;

/** The smallest recovery target taken literally: an RPO or RTO of zero is read as one second. */
const ZERO_TARGET_SECONDS = 1;

export const meetsAvailability: Criterion = (p, r) => {
  const achieves = p.envelope.availability;
  const met = r.availability <= achieves;
  const ratio = (100 - achieves) / (100 - r.availability);
  return {
    on: "availability",
    target: () => `${r.availability}%`,
    achieves: () => `${achieves}%`,
    met,
    ...(met && r.availability === achieves && r.availability >= 99.9 ? { atRisk: "the target equals the design's ceiling, with no margin for error" } : {}),
    penalty: met ? 0 : missPenalty(20, ratio),
    bonus: r.availability >= 99.95 ? MET_BONUS : 0,
    says: () => met
        ? `Reaches the ${r.availability}% availability target (designed for ${achieves}%).`
        : `Designed for ${achieves}% availability; the target is ${r.availability}% (${times(ratio)} the downtime allowed).`,
  };
};

export const meetsRpo: Criterion = (p, r) => recovery("rpo", "data loss", p.envelope.rpo, r.rpo, 20);
export const meetsRto: Criterion = (p, r) => recovery("rto", "recovery time", p.envelope.rto, r.rto, 15);

function recovery(on: "rpo" | "rto", what: string, achievable: string, target: string, base: number): Check {
  const best = toSeconds(achievable);
  const wanted = toSeconds(target);
  const name = on.toUpperCase();
  const met = wanted >= best;
  const ratio = best / Math.max(wanted, ZERO_TARGET_SECONDS);
  return {
    on,
    target: () => formatSeconds(wanted),
    achieves: () => `${formatSeconds(best)} at best`,
    met,
    ...(met && wanted === best ? { atRisk: "the target equals the best the design achieves; recovery must go as rehearsed" } : {}),
    penalty: met ? 0 : missPenalty(base, ratio),
    bonus: wanted <= 3600 ? MET_BONUS : 0,
    says: () => met
        ? `Reaches the ${formatSeconds(wanted)} ${name} (best achievable ${formatSeconds(best)}).`
        : `Its best ${name} is ${formatSeconds(best)}; the target allows ${formatSeconds(wanted)} of ${what} (${times(ratio)} over).`,
  };
}

export const meetsLatency: Criterion = (p, r) => {
  const typical = p.envelope.latencyMs?.typical;
  if (typical === undefined || !r.workload.some((w) => USER_FACING_WORKLOADS.includes(w))) return undefined;
  const met = r.latencyMs >= typical;
  const ratio = typical / r.latencyMs;
  return {
    on: "latencyMs",
    target: () => `p99 ${n(r.latencyMs)} ms`,
    achieves: () => `p99 about ${n(typical)} ms`,
    met,
    ...(met && typical > r.latencyMs * 0.8 ? { atRisk: "typical p99 is within 20% of the target" } : {}),
    penalty: met ? 0 : missPenalty(10, ratio),
    bonus: r.latencyMs <= 200 ? MET_BONUS : 0,
    says: () => met
        ? `Typical p99 of about ${typical} ms fits the ${r.latencyMs} ms target.`
        : `Typical p99 is about ${typical} ms; the target is ${r.latencyMs} ms (${times(ratio)} over).`,
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
export const withinDevices: Criterion = (p, r) => ceiling("traffic.devices", "connected devices", p.envelope.devices?.max, r.traffic.devices, 10_000);

function ceiling(on: string, what: string, max: number | undefined, wanted: number, demanding: number): Check | undefined {
  if (max === undefined || wanted === 0) return undefined;
  const met = wanted <= max;
  const ratio = wanted / max;
  return {
    on,
    target: () => `${n(wanted)} ${what}`,
    achieves: () => `up to ${n(max)}`,
    met,
    ...(met && wanted > max * 0.7 ? { atRisk: `the peak uses ${Math.round((wanted / max) * 100)}% of the design's ceiling` } : {}),
    penalty: met ? 0 : missPenalty(15, ratio),
    bonus: wanted >= demanding ? MET_BONUS : 0,
    says: () => met
        ? `Handles ${n(wanted)} ${what} (designed for up to ${n(max)}).`
        : `Designed for up to ${n(max)} ${what}; the peak is ${n(wanted)} (${times(ratio)} over).`,
  };
}

/**
 * A design that needs more Regions than the data may use. Residency is a hard constraint: law or
 * contract, not a preference. Within a country, a second Region is allowed only when the
 * requirements name at least as many allowed Regions as the design needs, since many countries
 * have a single AWS Region.
 */
export const respectsResidency: Criterion = (p, r) => {
  const { residency, allowedRegions } = r.data;
  if (residency === "none" && allowedRegions.length === 0) return undefined;
  const needs = p.envelope.regions;
  const limit =
    allowedRegions.length > 0 ? allowedRegions.length : residency === "region" || residency === "country" ? 1 : Number.POSITIVE_INFINITY;
  const met = needs <= limit;
  const scope = allowedRegions.length > 0 ? `the ${allowedRegions.length === 1 ? "Region" : "Regions"} ${allowedRegions.join(", ")}` : `one ${residency}`;
  return {
    on: "data.residency",
    target: () => allowedRegions.length > 0 ? `data stays in ${allowedRegions.join(", ")}` : `data stays within one ${residency}`,
    achieves: () => needs === 1 ? "one Region" : `${needs} Regions`,
    met,
    hard: true,
    penalty: met ? 0 : 25,
    bonus: 0,
    says: () => met
        ? `Keeps the data within ${scope}${needs > 1 ? ` (its ${needs} Regions fit)` : ""}.`
        : `Needs ${needs} AWS Regions, but the data must stay within ${scope}${residency === "country" && allowedRegions.length === 0 ? "; if your country has two Regions, list them as allowed Regions" : ""}.`,
  };
};

export const meetsCompliance: Criterion = (p, r) => {
  if (r.compliance.length === 0) return undefined;
  const { compliance, complianceNotes } = p.envelope;
  const missing = r.compliance.filter((c) => !compliance.includes(c));
  const conditional = r.compliance.filter((c) => compliance.includes(c) && complianceNotes[c] !== undefined);
  const met = missing.length === 0;
  const noted = (regimes: readonly ComplianceRegime[]) => regimes.map((c) => complianceNotes[c]).filter((n) => n !== undefined);
  return {
    on: "compliance",
    target: () => r.compliance.join(", "),
    achieves: () => compliance.length > 0 ? compliance.map((c) => complianceNotes[c] !== undefined ? `${c} (with a condition)` : c).join(", ") : "none",
    met,
    hard: true,
    penalty: met ? 0 : 20,
    // a regime the design meets only once the team adds what it lacks earns half
    bonus: conditional.length > 0 ? MET_BONUS / 2 : MET_BONUS,
    says: () => {
      if (!met) return [`Not designed to be run under ${missing.join(", ")}.`, ...noted(missing)].join(" ");
      if (conditional.length === 0) return `Can be run under ${r.compliance.join(", ")} as designed.`;
      return [`Can be run under ${r.compliance.join(", ")}, with a condition for ${conditional.join(" and ")}:`, ...noted(conditional)].join(" ");
    },
  };
};

export const withinBudget: Criterion = (_p, r, estimate) => {
  const budget = r.budgetMonthlyUsd;
  if (budget === null) return undefined;
  const cost = estimate();
  const met = cost.monthlyUsd <= budget;
  const ratio = cost.monthlyUsd / budget;
  return {
    on: "budgetMonthlyUsd",
    target: () => `${formatUsd(budget)} a month`,
    achieves: () => `about ${formatUsd(cost.monthlyUsd)} a month`,
    met,
    ...(met && cost.monthlyUsd > budget * 0.8 ? { atRisk: `the estimate uses ${Math.round((cost.monthlyUsd / budget) * 100)}% of the budget` } : {}),
    penalty: met ? 0 : missPenalty(20, ratio),
    bonus: 5,
    says: () => met
        ? `Costs ${estimateOf(cost)}, within the ${formatUsd(budget)} budget.`
        : `Costs ${estimateOf(cost)}, ${times(ratio)} the ${formatUsd(budget)} budget.`,
  };
};

function estimateOf(cost: CostEstimate): string {
  return `about ${formatUsd(cost.monthlyUsd)} a month at this scale (floor ${formatUsd(cost.floorMonthlyUsd)})`;
}

export const CRITERIA: readonly Criterion[] = [
  meetsAvailability,
  meetsRpo,
  meetsRto,
  meetsLatency,
  withinConcurrency,
  withinRequestRate,
  withinEventRate,
  withinBatchVcpus,
  withinDevices,
  meetsCompliance,
  respectsResidency,
  withinBudget,
];

/**
 * The requirement paths each criterion reads ("*": any, for the budget check, whose cost estimate
 * reads the usage fields). A what-if that changes none of them leaves the criterion's check as it
 * was: the sensitivity search re-scores only what a change touches. test/scoring.test.ts records
 * every read of every criterion on every example and holds this table to it.
 */
export const CRITERION_READS: ReadonlyMap<Criterion, readonly string[]> = new Map<Criterion, readonly string[]>([
  [meetsAvailability, ["availability"]],
  [meetsRpo, ["rpo"]],
  [meetsRto, ["rto"]],
  [meetsLatency, ["latencyMs", "workload"]],
  [withinConcurrency, ["traffic.peakConcurrentUsers"]],
  [withinRequestRate, ["traffic.requestsPerSecond"]],
  [withinEventRate, ["traffic.eventsPerSecond"]],
  [withinBatchVcpus, ["batch.peakVcpus"]],
  [withinDevices, ["traffic.devices"]],
  [meetsCompliance, ["compliance"]],
  [respectsResidency, ["data.residency", "data.allowedRegions"]],
  [withinBudget, ["*"]],
]);

/**
 * Every check that applies to these requirements, in the order of CRITERIA: only those on fields
 * the user stated or that were derived from stated ones. A default is no requirement.
 */
export function checkEnvelope(pattern: Pattern, requirements: Requirements, cost: CostEstimate | (() => CostEstimate), basis: Basis): Check[] {
  const estimate = typeof cost === "function" ? cost : () => cost;
  const checks: Check[] = [];
  for (const criterion of CRITERIA) {
    const check = criterion(pattern, requirements, estimate);
    if (check !== undefined && isKnown(basis, check.on)) checks.push(check);
  }
  return checks;
}
