import { formatNumber } from "../format-number.ts";
import type { Pattern } from "../catalog/schema.ts";
import { getPath } from "../requirements/fields.ts";
import type { Requirements } from "../requirements/schema.ts";

export type CostLine = { says: string; usd: number; quantity: number; per: string };
export type CostEstimate = { monthlyUsd: number; floorMonthlyUsd: number; lines: CostLine[]; pricesAsOf: string };

/** Monthly cost at the user's scale: the entry's floor plus each term, linear in its quantity. */
export function estimateCost(pattern: Pattern, requirements: Requirements): CostEstimate {
  const { floorMonthlyUsd, terms, pricesAsOf } = pattern.envelope.cost;
  const lines = terms.map((term) => {
    const quantity = Number(getPath(requirements, term.per) ?? 0);
    return { says: term.says, usd: roundUsd((quantity / term.unit) * term.usd), quantity, per: term.per };
  });
  const monthlyUsd = roundUsd(floorMonthlyUsd + lines.reduce((sum, line) => sum + line.usd, 0));
  return { monthlyUsd, floorMonthlyUsd, lines, pricesAsOf };
}

/** How far the band reaches below and above the point estimate. */
export const COST_BAND = { low: 0.75, high: 1.5 } as const;

export type CostBand = { low: number; estimate: number; high: number };

/** A range around the sum of estimates: list prices move, and real usage rarely matches the model. */
export function costBand(estimates: readonly CostEstimate[]): CostBand {
  const estimate = estimates.reduce((sum, e) => sum + e.monthlyUsd, 0);
  return { low: roundUsd(estimate * COST_BAND.low), estimate: roundUsd(estimate), high: roundUsd(estimate * COST_BAND.high) };
}

/** "$1,234" */
export function formatUsd(usd: number): string {
  return `$${formatNumber(Math.round(usd))}`;
}

/** Whole dollars above $10, cents below. */
function roundUsd(usd: number): number {
  return usd >= 10 ? Math.round(usd) : Math.round(usd * 100) / 100;
}
