/** Closed sets of the catalog that code outside validation needs; no zod here, so importing them stays light. */
export const PILLARS = ["operationalExcellence", "security", "reliability", "performanceEfficiency", "costOptimization", "sustainability"] as const;

/** The pillars as a person reads them. */
export const PILLAR_TITLES: Readonly<Record<(typeof PILLARS)[number], string>> = {
  operationalExcellence: "Operational excellence",
  security: "Security",
  reliability: "Reliability",
  performanceEfficiency: "Performance efficiency",
  costOptimization: "Cost optimization",
  sustainability: "Sustainability",
};

export const PATTERN_KINDS = ["pattern", "generic"] as const;
/** cdk-nag rule packs a scaffold can run (class names exported by cdk-nag 3). */
export const NAG_PACKS = ["AwsSolutionsChecks", "HIPAASecurityChecks", "PCIDSS321Checks", "NIST80053R5Checks", "ServerlessChecks"] as const;
/** What a generated stack can offer complements composed into its app (see templates/cdk/_base/lib/host.ts). */
export const HOST_PARTS = ["vpc", "front-door", "cache-clients"] as const;
/** How a README names a part of the primary's stack that an add-on needs. */
export const HOST_PART_LABELS: Record<(typeof HOST_PARTS)[number], string> = {
  vpc: "VPC",
  "front-door": "front door (an API or a distribution that takes the requests)",
  "cache-clients": "functions that read through a cache (a stack's cacheClients)",
};
/** Where a node sits in the architecture; complements attach to a primary's nodes by tier. */
export const TIERS = ["client", "edge", "entry", "compute", "messaging", "cache", "data", "storage", "analytics", "security", "operations"] as const;
/**
 * What a diagram group stands for, so pictures draw it as the AWS group of that kind (a Region's
 * dashed teal border, a VPC's purple one, ...); `generic` is any other grouping (a tier, a path).
 */
export const GROUP_KINDS = ["aws-cloud", "region", "availability-zone", "vpc", "private-subnet", "public-subnet", "auto-scaling", "account", "generic"] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
