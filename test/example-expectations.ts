/**
 * What each example must produce. Concrete examples rank their own pattern first; the extra cases
 * (examples/cases/) name the primary and, where the case is about one, the complement.
 */
export type Expectation = {
  file: string;
  /** flags laid over the file, as `advise` would take them */
  flags?: Record<string, string>;
  primary?: string;
  /** one of these must be the primary or among the complements */
  primaryOrComplement?: string;
  complements?: string[];
  /** ids that must not be the primary or a complement */
  never?: string[];
  /** the fits accepted */
  fit?: ("strong" | "fair" | "weak" | "none")[];
};

export const CONCRETE_IDS = [
  "high-traffic-ecommerce",
  "serverless-image-processing",
  "realtime-analytics",
  "multi-region-dr",
  "microservices-api-gateway",
  "event-driven-data-lake",
  "container-cicd",
  "hipaa-healthcare",
  "cost-optimized-batch",
  "global-content-delivery",
  // the entries for the systems teams build now (issue 14)
  "genai-rag",
  "static-site",
  "realtime-websocket",
  "iot-telemetry",
  "ml-inference",
  "multi-tenant-saas",
] as const;

export const EXPECTATIONS: Expectation[] = [
  ...CONCRETE_IDS.map((id) => ({ file: `examples/${id}.yaml`, primary: id, fit: ["strong" as const] })),
  { file: "examples/high-traffic-ecommerce.yaml", never: ["multi-region-dr"] },
  { file: "examples/multi-region-dr.yaml", primary: "multi-region-dr" },
  { file: "examples/cases/audit-ledger.yaml", primary: "cqrs-event-sourcing" },
  { file: "examples/cases/read-heavy-catalog-api.yaml", primaryOrComplement: "cache-aside" },
  { file: "examples/cases/mvp-api.yaml", primary: "serverless", never: ["multi-region-dr", "microservices-api-gateway", "microservices"] },
  { file: "examples/cases/order-events.yaml", primary: "event-driven" },
  // a HIPAA clinic portal: the foundation would lower the 99.95% the primary meets, so it is left out and said why
  { file: "examples/cases/clinic-portal.yaml", primary: "serverless", complements: ["cache-aside"], never: ["multi-region-dr", "hipaa-healthcare"] },
  // the complements the product promises, each where the primary leaves the need open
  { file: "examples/cases/order-events.yaml", flags: { compliance: "hipaa", budget: "20000" }, primary: "event-driven", complements: ["hipaa-healthcare"] },
  // a global audience alone is no need for a CDN; tens of terabytes served a month are
  { file: "examples/cases/mvp-api.yaml", flags: { audience: "global" }, primary: "serverless", never: ["global-content-delivery"] },
  { file: "examples/cases/mvp-api.yaml", flags: { audience: "global", monthlyEgressGb: "50000", budget: "10000" }, primary: "serverless", complements: ["global-content-delivery"] },
  { file: "examples/multi-region-dr.yaml", flags: { readWriteRatio: "20" }, primary: "multi-region-dr", complements: ["cache-aside"] },
  // the shop already meets a 5-minute RPO on its own; a 15-minute RTO it cannot meet in one Region, given the budget room for a second Region
  { file: "examples/high-traffic-ecommerce.yaml", flags: { rpo: "5m" }, primary: "high-traffic-ecommerce", never: ["multi-region-dr"] },
  { file: "examples/high-traffic-ecommerce.yaml", flags: { rto: "15m", budget: "100000" }, primary: "high-traffic-ecommerce", complements: ["multi-region-dr"] },
  {
    file: "examples/cases/internal-tool.yaml",
    primary: "serverless",
    never: ["multi-region-dr", "high-traffic-ecommerce", "microservices-api-gateway", "microservices"],
  },
];
