/** Closed sets of the requirements file, as tuples so the unions derive from them. No zod here, so `--help` stays light. */
export const WORKLOADS = [
  "web-app",
  "api",
  "media-processing",
  "streaming-analytics",
  "event-processing",
  "data-lake",
  "batch-compute",
  "ci-cd",
  "content-delivery",
] as const;
export const TRAFFIC_SHAPES = ["steady", "spiky", "unpredictable", "scheduled"] as const;
export const AUDIENCES = ["regional", "global"] as const;
export const COMPLIANCE_REGIMES = ["hipaa", "soc2", "pci-dss", "gdpr"] as const;
export const FRESHNESS = ["realtime", "minutes", "hours", "daily"] as const;
export const OPS_CAPACITY = ["low", "medium", "high"] as const;

export type Workload = (typeof WORKLOADS)[number];
export type ComplianceRegime = (typeof COMPLIANCE_REGIMES)[number];


/** Names users give (the app name, `--name`): safe in file names, code and YAML alike. */
export const KEBAB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Workloads that serve interactive requests, where a latency target applies. */
export const USER_FACING_WORKLOADS: readonly Workload[] = ["web-app", "api", "content-delivery"];
