import type { Catalog, Pattern } from "../catalog/schema.ts";
import type { Requirements } from "../requirements/schema.ts";
import { COST_BAND, estimateCost, estimateFrom, quantityLabel, roundUsd, type CostEstimate } from "./cost.ts";

export type DesignCostLine = {
  /** the entry the line belongs to */
  entry: string;
  role: "primary" | "complement";
  item: string;
  /** the quantity it is priced on, and what that is */
  quantity?: number;
  per?: string;
  usd: number;
  says: string;
};
export type DesignCost = { monthlyUsd: number; band: { low: number; high: number }; lines: DesignCostLine[]; pricesAsOf: string };

/**
 * What a complement adds to another design: its `scaffold.addedCost` when the catalog gives one
 * (the add-on's own resources), its stand-alone estimate otherwise (a layer of its own, such as a
 * standby Region or a compliance foundation around the app).
 */
export function addedCost(pattern: Pattern, requirements: Requirements): CostEstimate & { standAlone: boolean } {
  const added = pattern.scaffold?.addedCost;
  if (added === undefined) return { ...estimateCost(pattern, requirements), standAlone: true };
  return { ...estimateFrom(added.floorMonthlyUsd, added.terms, pattern.envelope.cost.pricesAsOf, requirements), standAlone: false };
}

/** The cost of the whole design: the primary's estimate plus what each complement adds. One figure everywhere. */
export function designCost(catalog: Catalog, primary: CostEstimate, primaryId: string, complements: readonly string[], requirements: Requirements): DesignCost {
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const lines: DesignCostLine[] = linesOf(primary, primaryId, "primary", "Monthly floor: a minimal production deployment with no load");
  const asOf = new Set([primary.pricesAsOf]);
  for (const id of complements) {
    const pattern = byId.get(id)!;
    const cost = addedCost(pattern, requirements);
    asOf.add(cost.pricesAsOf);
    const floor = cost.standAlone
      ? "Monthly floor: a layer of its own beside the primary design (its stand-alone floor)"
      : `Added floor: ${pattern.scaffold!.addedCost!.says}`;
    lines.push(...linesOf(cost, id, "complement", floor));
  }
  const monthlyUsd = roundUsd(lines.reduce((sum, l) => sum + l.usd, 0));
  return {
    monthlyUsd,
    band: { low: roundUsd(monthlyUsd * COST_BAND.low), high: roundUsd(monthlyUsd * COST_BAND.high) },
    lines,
    pricesAsOf: [...asOf].sort().join(", "),
  };
}

function linesOf(cost: CostEstimate, entry: string, role: DesignCostLine["role"], floorSays: string): DesignCostLine[] {
  const [item, ...rest] = floorSays.split(": ");
  return [
    { entry, role, item: item!, usd: cost.floorMonthlyUsd, says: rest.join(": ") },
    ...cost.lines.map((l) => ({ entry, role, item: quantityLabel(l.per), quantity: l.quantity, per: l.per, usd: l.usd, says: l.says })),
  ];
}
