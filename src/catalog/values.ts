/** Closed sets of the catalog that code outside validation needs; no zod here, so importing them stays light. */
export const PILLARS = ["operationalExcellence", "security", "reliability", "performanceEfficiency", "costOptimization", "sustainability"] as const;
