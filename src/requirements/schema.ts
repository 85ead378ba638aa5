import { z } from "zod";
import { DURATION_PATTERN } from "./duration.ts";

import {
  AUDIENCES,
  COMPLIANCE_REGIMES,
  FRESHNESS,
  OPS_CAPACITY,
  TRAFFIC_SHAPES,
  KEBAB_NAME,
  WORKLOADS,
} from "./values.ts";

export * from "./values.ts";


/** A count of things: a whole number from 0 to a trillion (the bound comes first, so a huge number is reported as too big). */
const count = (what: string) =>
  z.number().max(1e12, `${what} is at most 1,000,000,000,000`).int(`${what} must be a whole number`).min(0, `${what} cannot be negative`);

const DURATION_EXPECTED = "expected 0 or a number with s, m, h or d (30s, 5m, 1h, 1d)";
const duration = z.string(DURATION_EXPECTED).regex(DURATION_PATTERN, DURATION_EXPECTED);

/** Unique entries of a closed set; at least `min` of them. */
function setOf<T extends readonly [string, ...string[]]>(values: T, min: number) {
  return z
    .array(z.enum(values))
    .min(min, min > 0 ? `give at least one of: ${values.join(", ")}` : undefined)
    .refine((list) => new Set(list).size === list.length, "lists a value twice");
}

const traffic = z
  .strictObject({
    peakConcurrentUsers: count("peakConcurrentUsers")
      .default(100)
      .describe("Users active at the same moment at peak."),
    requestsPerSecond: count("requestsPerSecond").default(10).describe("Peak user requests per second."),
    eventsPerSecond: count("eventsPerSecond")
      .default(0)
      .describe("Ingested events or messages per second at peak."),
    shape: z.enum(TRAFFIC_SHAPES).default("steady").describe("How load varies over time."),
  })
  .default({ peakConcurrentUsers: 100, requestsPerSecond: 10, eventsPerSecond: 0, shape: "steady" });

const data = z
  .strictObject({
    sources: count("sources").default(1).describe("Independent source systems feeding the platform."),
    dailyVolumeGb: z
      .number()
      .min(0, "dailyVolumeGb cannot be negative")
      .max(1e9)
      .default(1)
      .describe("New data per day, in GB."),
    freshness: z.enum(FRESHNESS).default("hours").describe("How fresh analytical data must be."),
    readWriteRatio: z
      .number()
      .min(0, "readWriteRatio cannot be negative")
      .max(1e9)
      .default(1)
      .describe("Reads per write."),
    auditHistory: z
      .boolean()
      .default(false)
      .describe("Every change must be kept and be replayable."),
  })
  .default({ sources: 1, dailyVolumeGb: 1, freshness: "hours", readWriteRatio: 1, auditHistory: false });

const team = z
  .strictObject({
    size: z.number().int().min(1, "a team has at least 1 engineer").max(100000).default(3).describe("Engineers."),
    deploysPerDay: z.number().min(0).max(100000).default(1).describe("Production deploys per day."),
    opsCapacity: z
      .enum(OPS_CAPACITY)
      .default("medium")
      .describe("Appetite for running and patching servers."),
  })
  .default({ size: 3, deploysPerDay: 1, opsCapacity: "medium" });

const batch = z
  .strictObject({
    peakVcpus: count("peakVcpus").default(0).describe("vCPUs needed at the peak of a batch run."),
    interruptible: z
      .boolean()
      .default(false)
      .describe("Jobs can checkpoint and resume, so Spot capacity is safe."),
  })
  .default({ peakVcpus: 0, interruptible: false });

/** The requirements file: one schema for types, validation, defaults and the published JSON Schema. */
export const requirementsSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Editors may point this at `aws-patterns schema` output."),
    name: z
      .string()
      .min(1)
      .max(40, "at most 40 characters")
      .regex(KEBAB_NAME, "expected kebab-case: lowercase letters, digits and single dashes, starting with a letter")
      .default("my-app")
      .describe("Application name: the design document title and the CDK app name."),
    workload: setOf(WORKLOADS, 1).describe("What the system does; one or more."),
    traffic,
    latencyMs: z
      .number()
      .int("latencyMs must be a whole number")
      .positive("latencyMs must be greater than 0")
      .max(3_600_000)
      .default(1000)
      .describe("p99 target for user-facing requests, in milliseconds."),
    availability: z
      .number()
      .min(90, "availability is a percentage from 90 up to (not including) 100")
      .lt(100, "availability is a percentage from 90 up to (not including) 100")
      .default(99.9)
      .describe("Availability target in percent."),
    rpo: duration.default("1d").describe("Recovery point objective: how much recent data may be lost."),
    rto: duration.default("1d").describe("Recovery time objective: how long an outage may last."),
    audience: z.enum(AUDIENCES).default("regional").describe("Where the users are."),
    compliance: setOf(COMPLIANCE_REGIMES, 0).default([]).describe("Regimes the system must satisfy."),
    budgetMonthlyUsd: z
      .number()
      .positive("budgetMonthlyUsd must be greater than 0")
      .max(1e12)
      .nullable()
      .default(null)
      .describe("Monthly AWS budget in US dollars; null or omitted means no budget constraint."),
    data,
    team,
    batch,
  });

export type Requirements = z.output<typeof requirementsSchema>;
export type RequirementsInput = z.input<typeof requirementsSchema>;
