import { formatNumber } from "../format-number.ts";
import type { Pattern } from "../catalog/schema.ts";
import { FIELD_BY_PATH, getPath } from "../requirements/fields.ts";
import type { Requirements } from "../requirements/schema.ts";
import { USAGE_LABELS, usageOf, type UsageQuantity } from "./usage.ts";

export type CostLine = { says: string; usd: number; quantity: number; per: string };
export type CostEstimate = { monthlyUsd: number; floorMonthlyUsd: number; lines: CostLine[]; pricesAsOf: string };

type CostTerm = Pattern["envelope"]["cost"]["terms"][number];

/**
 * Monthly cost at the user's scale: the entry's floor plus each term. A term prices a requirement
 * or a monthly usage quantity: linearly, in volume tiers, above what the floor already buys, or in
 * whole units (instances, shards).
 */
export function estimateCost(pattern: Pattern, requirements: Requirements): CostEstimate {
  const { floorMonthlyUsd, terms, pricesAsOf } = pattern.envelope.cost;
  return estimateFrom(floorMonthlyUsd, terms, pricesAsOf, requirements);
}

/** A floor and its terms priced at these requirements. */
export function estimateFrom(floorMonthlyUsd: number, terms: readonly CostTerm[], pricesAsOf: string, requirements: Requirements): CostEstimate {
  const lines = terms.map((term) => {
    const quantity = term.per.startsWith("usage.") ? usageOf(requirements, term.per as UsageQuantity) : Number(getPath(requirements, term.per) ?? 0);
    return { says: term.says, usd: roundUsd(priceOf(term, quantity)), quantity: Math.round(quantity * 100) / 100, per: term.per };
  });
  const monthlyUsd = roundUsd(floorMonthlyUsd + lines.reduce((sum, line) => sum + line.usd, 0));
  return { monthlyUsd, floorMonthlyUsd, lines, pricesAsOf };
}

/** What a term charges for a quantity. */
export function priceOf(term: CostTerm, quantity: number): number {
  const counted = Math.max(0, quantity - term.above) / term.unit;
  const units = term.whole ? Math.ceil(counted) : counted;
  if (term.tiers === undefined) return units * (term.usd ?? 0);
  let total = 0;
  let from = 0;
  for (const tier of term.tiers) {
    const upTo = tier.upTo ?? Number.POSITIVE_INFINITY;
    if (units <= from) break;
    total += (Math.min(units, upTo) - from) * tier.usd;
    from = upTo;
  }
  return total;
}

/** What a cost term is priced on, as a person reads it: "Peak requests/s", "Requests a month". */
export function quantityLabel(per: string): string {
  if (per.startsWith("usage.")) {
    const label = USAGE_LABELS[per as UsageQuantity] ?? per;
    return label.charAt(0).toUpperCase() + label.slice(1);
  }
  return FIELD_BY_PATH.get(per)?.label ?? per;
}

/** A term's rate as a person reads it, with the precision the catalog gives: "$0.085 per 1 GB a month served, first 10,240; then $0.08 ...". */
export function describeRate(term: CostTerm): string {
  const unit = term.unit === 1 ? "" : `${formatNumber(term.unit)} `;
  const what = quantityLabel(term.per).toLowerCase();
  const above = term.above > 0 ? ` above ${formatNumber(term.above)}` : "";
  if (term.tiers === undefined) return `${formatRate(term.usd ?? 0)} per ${unit}${what}${above}`;
  const tiers = term.tiers.map((t, i) => `${formatRate(t.usd)}${t.upTo !== undefined ? ` up to ${formatNumber(t.upTo)}` : i > 0 ? " beyond" : ""}`);
  return `${tiers.join(", ")} per ${unit}${what}${above}`;
}

/** Dollars with the precision they have: $2, $0.5, $0.0075. */
export function formatRate(usd: number): string {
  return usd >= 100 ? formatUsd(usd) : `$${Number(usd.toPrecision(6))}`;
}

/** How far the band reaches below and above the point estimate. */
export const COST_BAND = { low: 0.75, high: 1.5 } as const;

/** "$1,234" */
export function formatUsd(usd: number): string {
  return `$${formatNumber(Math.round(usd))}`;
}

/** Whole dollars above $10, cents below. */
export function roundUsd(usd: number): number {
  return usd >= 10 ? Math.round(usd) : Math.round(usd * 100) / 100;
}
