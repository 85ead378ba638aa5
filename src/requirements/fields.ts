import {
  AUDIENCES,
  COMPLIANCE_REGIMES,
  FRESHNESS,
  OPS_CAPACITY,
  RESIDENCY,
  TRAFFIC_SHAPES,
  USER_FACING_WORKLOADS,
  WORKLOADS,
  type Workload,
} from "./values.ts";

/**
 * Every requirement field as data: its path in the file, its flag on `advise`, its kind, and the
 * question asked for it. Prompts, flags, fit-rule conditions and reports all read this one list.
 */
export type FieldKind = "name" | "int" | "number" | "duration" | "enum" | "set" | "list" | "bool" | "budget";

export type Field = {
  path: string;
  flag: string;
  kind: FieldKind;
  /** allowed values of enum and set fields */
  values?: readonly string[];
  /** short label for tables */
  label: string;
  /** the prompt */
  question: string;
  /** unit shown after numbers in reports */
  unit?: string;
  /** ask only when this holds for the answers so far */
  askWhen?: (answers: Answers) => boolean;
};

/** What follow-up questions depend on: the workloads, and the residency answer. */
export type Answers = { workload: readonly Workload[]; residency?: unknown };

const any = (...kinds: Workload[]) => (a: Answers) =>
  a.workload.some((w) => kinds.includes(w));

const DATA_WORKLOADS: Workload[] = ["streaming-analytics", "event-processing", "data-lake", "batch-compute", "image-processing", "video-processing", "iot", "genai"];
const EVENT_WORKLOADS: Workload[] = ["streaming-analytics", "event-processing", "data-lake", "iot", "realtime-messaging"];

export const FIELDS: readonly Field[] = [
  { path: "name", flag: "name", kind: "name", label: "Name", question: "Application name (kebab-case)" },
  {
    path: "workload", flag: "workload", kind: "set", values: WORKLOADS, label: "Workload",
    question: "What does the system do? (space to select, enter to confirm)",
  },
  {
    path: "traffic.peakConcurrentUsers", flag: "concurrent-users", kind: "int", label: "Peak concurrent users",
    question: "Peak concurrent users", askWhen: any(...USER_FACING_WORKLOADS),
  },
  {
    path: "traffic.requestsPerSecond", flag: "requests-per-second", kind: "int", label: "Peak requests/s", unit: "req/s",
    question: "Peak requests per second", askWhen: any(...USER_FACING_WORKLOADS),
  },
  {
    path: "traffic.eventsPerSecond", flag: "events-per-second", kind: "int", label: "Peak events/s", unit: "events/s",
    question: "Peak events (or messages) ingested per second",
    askWhen: any(...EVENT_WORKLOADS, "image-processing", "video-processing"),
  },
  {
    path: "traffic.shape", flag: "traffic-shape", kind: "enum", values: TRAFFIC_SHAPES, label: "Traffic shape",
    question: "How does load vary over time?",
  },
  {
    path: "traffic.devices", flag: "devices", kind: "int", label: "Connected devices", unit: "devices",
    question: "How many devices connect and send data?", askWhen: any("iot"),
  },
  {
    path: "traffic.responseKb", flag: "response-kb", kind: "number", label: "Average response size", unit: "KB",
    question: "Average size of a response (KB)", askWhen: any("content-delivery", "static-site", "video-processing"),
  },
  {
    path: "traffic.monthlyEgressGb", flag: "monthly-egress-gb", kind: "number", label: "Data served per month", unit: "GB/month",
    question: "Data served to the internet per month (GB)", askWhen: any("content-delivery", "static-site", "video-processing"),
  },
  {
    path: "latencyMs", flag: "latency-ms", kind: "int", label: "p99 latency target", unit: "ms",
    question: "p99 latency target for user-facing requests (ms)", askWhen: any(...USER_FACING_WORKLOADS),
  },
  { path: "availability", flag: "availability", kind: "number", label: "Availability", unit: "%", question: "Availability target (%)" },
  { path: "rpo", flag: "rpo", kind: "duration", label: "RPO", question: "RPO: how much recent data may be lost (0, 30s, 5m, 1h, 1d)" },
  { path: "rto", flag: "rto", kind: "duration", label: "RTO", question: "RTO: how long an outage may last (30s, 15m, 4h, 1d)" },
  { path: "audience", flag: "audience", kind: "enum", values: AUDIENCES, label: "Audience", question: "Where are the users?" },
  {
    path: "compliance", flag: "compliance", kind: "set", values: COMPLIANCE_REGIMES, label: "Compliance",
    question: "Compliance regimes (none is fine)",
  },
  { path: "budgetMonthlyUsd", flag: "budget", kind: "budget", label: "Monthly budget", unit: "USD", question: "Monthly AWS budget in USD (empty for none)" },
  {
    path: "data.sources", flag: "data-sources", kind: "int", label: "Data sources",
    question: "How many independent source systems feed the platform?", askWhen: any(...DATA_WORKLOADS),
  },
  {
    path: "data.dailyVolumeGb", flag: "daily-volume-gb", kind: "number", label: "Daily data volume", unit: "GB/day",
    question: "New data per day (GB)", askWhen: any(...DATA_WORKLOADS),
  },
  {
    path: "data.storedGb", flag: "stored-gb", kind: "number", label: "Data stored", unit: "GB",
    question: "All the data kept (GB)", askWhen: any(...DATA_WORKLOADS, "saas", "web-app", "api"),
  },
  {
    path: "data.eventSizeKb", flag: "event-size-kb", kind: "number", label: "Event size", unit: "KB",
    question: "Typical size of one event or message (KB)", askWhen: any(...EVENT_WORKLOADS),
  },
  {
    path: "data.freshness", flag: "freshness", kind: "enum", values: FRESHNESS, label: "Data freshness",
    question: "How fresh must analytical data be?", askWhen: any("streaming-analytics", "event-processing", "data-lake", "batch-compute"),
  },
  {
    path: "data.readWriteRatio", flag: "read-write-ratio", kind: "number", label: "Reads per write",
    question: "Reads per write (10 means read-heavy)", askWhen: any("web-app", "api"),
  },
  {
    path: "data.auditHistory", flag: "audit-history", kind: "bool", label: "Replayable audit history",
    question: "Must every change be kept and be replayable?",
  },
  {
    path: "data.residency", flag: "residency", kind: "enum", values: RESIDENCY, label: "Data residency",
    question: "How far may the data travel? (none, continent, country, one region)",
  },
  {
    path: "data.allowedRegions", flag: "allowed-regions", kind: "list", label: "Allowed Regions",
    question: "AWS Regions the data may be kept in (comma-separated, empty for any)",
    askWhen: (a) => a.residency !== undefined && a.residency !== "none",
  },
  { path: "team.size", flag: "team-size", kind: "int", label: "Team size", unit: "engineers", question: "Engineers on the team" },
  { path: "team.deploysPerDay", flag: "deploys-per-day", kind: "number", label: "Deploys per day", question: "Production deploys per day" },
  {
    path: "team.opsCapacity", flag: "ops-capacity", kind: "enum", values: OPS_CAPACITY, label: "Ops capacity",
    question: "Appetite for running and patching servers",
  },
  {
    path: "batch.peakVcpus", flag: "peak-vcpus", kind: "int", label: "Peak batch vCPUs", unit: "vCPUs",
    question: "vCPUs needed at the peak of a batch run", askWhen: any("batch-compute"),
  },
  {
    path: "batch.interruptible", flag: "interruptible", kind: "bool", label: "Jobs can resume",
    question: "Can jobs checkpoint and resume after an interruption?", askWhen: any("batch-compute"),
  },
  {
    path: "batch.jobsPerDay", flag: "jobs-per-day", kind: "number", label: "Batch jobs per day", unit: "jobs/day",
    question: "Batch jobs run per day", askWhen: any("batch-compute"),
  },
  {
    path: "batch.jobDuration", flag: "job-duration", kind: "duration", label: "Batch job run length",
    question: "How long one job runs (30s, 15m, 2h)", askWhen: any("batch-compute"),
  },
  {
    path: "batch.jobVcpus", flag: "job-vcpus", kind: "int", label: "vCPUs per job", unit: "vCPUs",
    question: "vCPUs one job uses", askWhen: any("batch-compute"),
  },
  {
    path: "media.imagesPerDay", flag: "images-per-day", kind: "int", label: "Images per day", unit: "images/day",
    question: "Images uploaded or processed per day", askWhen: any("image-processing"),
  },
  {
    path: "media.imageMb", flag: "image-mb", kind: "number", label: "Image size", unit: "MB",
    question: "Average size of one original image (MB)", askWhen: any("image-processing"),
  },
  {
    path: "media.videoHoursPerDay", flag: "video-hours-per-day", kind: "number", label: "Video processed per day", unit: "hours/day",
    question: "Hours of video source processed per day", askWhen: any("video-processing"),
  },
];

export const FIELD_BY_PATH: ReadonlyMap<string, Field> = new Map(FIELDS.map((f) => [f.path, f]));

/** Paths split once: ranking reads the same few dozen paths many thousand times. */
const SPLIT = new Map<string, string[]>();

/** Reads a dotted path from a plain object. */
export function getPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  let keys = SPLIT.get(path);
  if (keys === undefined) SPLIT.set(path, (keys = path.split(".")));
  for (const key of keys) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Writes a dotted path into a plain object, creating plain objects on the way. */
export function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let current = object;
  for (const key of keys.slice(0, -1)) {
    const next = Object.hasOwn(current, key) ? current[key] : undefined;
    if (next === null || typeof next !== "object" || Array.isArray(next)) {
      const created: Record<string, unknown> = {};
      Object.defineProperty(current, key, { value: created, enumerable: true, writable: true, configurable: true });
      current = created;
    } else {
      current = next as Record<string, unknown>;
    }
  }
  Object.defineProperty(current, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** Labels of the groups of fields, for a check that concerns a whole group (the account quotas: traffic). */
const GROUP_LABELS: Readonly<Record<string, string>> = { traffic: "Traffic and capacity", data: "Data", team: "Team", batch: "Batch jobs", media: "Media" };

/** The label of a requirement path (or group) for reports; the path itself for anything else. */
export function labelOf(path: string): string {
  return FIELD_BY_PATH.get(path)?.label ?? GROUP_LABELS[path] ?? path;
}

/**
 * Each field's default as help and prompts show it. The schema is where defaults take effect;
 * test/requirements.test.ts holds this table equal to it, so help never lies.
 */
export const DEFAULT_TEXT: Readonly<Record<string, string>> = {
  name: "my-app",
  workload: "none (required)",
  "traffic.peakConcurrentUsers": "100",
  "traffic.requestsPerSecond": "10",
  "traffic.eventsPerSecond": "0",
  "traffic.shape": "steady",
  "traffic.devices": "0",
  "traffic.responseKb": "20",
  "traffic.monthlyEgressGb": "0",
  latencyMs: "1000",
  availability: "99.9",
  rpo: "1d",
  rto: "1d",
  audience: "regional",
  compliance: "none",
  budgetMonthlyUsd: "none",
  "data.sources": "1",
  "data.dailyVolumeGb": "1",
  "data.storedGb": "10",
  "data.eventSizeKb": "1",
  "data.freshness": "hours",
  "data.readWriteRatio": "1",
  "data.auditHistory": "no",
  "data.residency": "none",
  "data.allowedRegions": "none",
  "team.size": "3",
  "team.deploysPerDay": "1",
  "team.opsCapacity": "medium",
  "batch.peakVcpus": "0",
  "batch.interruptible": "no",
  "batch.jobsPerDay": "1",
  "batch.jobDuration": "1h",
  "batch.jobVcpus": "0",
  "media.imagesPerDay": "1000",
  "media.imageMb": "2",
  "media.videoHoursPerDay": "0",
};

/** A flag's help: the question in words, its unit or format, the allowed values and the default. */
export function helpOf(field: Field): string {
  const format =
    field.kind === "duration"
      ? "0, 30s, 15m, 15 minutes, 4h, 2h30m, 1d"
      : field.kind === "budget"
        ? "US dollars a month: 5000, $5,000, 5k, or none"
        : field.kind === "bool"
          ? "yes or no"
          : field.values
            ? `${field.kind === "set" ? "comma-separated, any of" : "one of"}: ${field.values.join(", ")}`
            : field.kind === "list"
              ? "comma-separated AWS Region codes"
              : field.unit
                ? `in ${field.unit}${field.kind === "int" ? ", a whole number (1,000 and 1k work)" : ""}`
                : field.kind === "int"
                  ? "a whole number"
                  : field.kind === "number"
                    ? "a number"
                    : "text";
  return `${field.question.replace(/\s*\([^)]*\)$/, "")} (${format}; default ${DEFAULT_TEXT[field.path] ?? "none"})`;
}
