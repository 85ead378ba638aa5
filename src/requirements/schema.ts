import { z } from "zod";
import { DURATION_PATTERN } from "./duration.ts";

import {
  AUDIENCES,
  COMPLIANCE_REGIMES,
  FRESHNESS,
  OPS_CAPACITY,
  TRAFFIC_SHAPES,
  KEBAB_NAME,
  REGION_CODE,
  RESIDENCY,
  WORKLOADS,
} from "./values.ts";

export * from "./values.ts";


/** A count of things: a whole number from 0 to a trillion (the bound comes first, so a huge number is reported as too big). */
const count = (what: string) =>
  z.number().max(1e12, `${what} is at most 1,000,000,000,000`).int(`${what} must be a whole number`).min(0, `${what} cannot be negative`);

/** A non-negative quantity that may have a fraction. */
const amount = (what: string, max: number) => z.number().min(0, `${what} cannot be negative`).max(max, `${what} is at most ${max.toLocaleString("en-US")}`);

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
    devices: count("devices").default(0).describe("Connected devices that send data or take commands."),
    responseKb: amount("responseKb", 1e6).default(20).describe("Average size of a response, in KB."),
    monthlyEgressGb: amount("monthlyEgressGb", 1e12)
      .default(0)
      .describe("Data served to the internet per month, in GB; derived from requests and response size when not given."),
  })
  .default({ peakConcurrentUsers: 100, requestsPerSecond: 10, eventsPerSecond: 0, shape: "steady", devices: 0, responseKb: 20, monthlyEgressGb: 0 });

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
    storedGb: amount("storedGb", 1e12).default(10).describe("All the data kept, in GB."),
    eventSizeKb: z
      .number()
      .gt(0, "eventSizeKb must be greater than 0")
      .max(1e6)
      .default(1)
      .describe("Typical size of one event or message, in KB."),
    residency: z
      .enum(RESIDENCY)
      .default("none")
      .describe("How far the data may travel: none (anywhere), continent, country or region (one AWS Region)."),
    allowedRegions: z
      .array(z.string("expected an AWS Region code such as eu-central-1").regex(REGION_CODE, "expected an AWS Region code such as eu-central-1"))
      .refine((list) => new Set(list).size === list.length, "lists a value twice")
      .default([])
      .describe("AWS Regions the data may be kept in; empty means not restricted by name."),
  })
  .default({ sources: 1, dailyVolumeGb: 1, freshness: "hours", readWriteRatio: 1, auditHistory: false, storedGb: 10, eventSizeKb: 1, residency: "none", allowedRegions: [] });

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
    jobsPerDay: amount("jobsPerDay", 1e9).default(1).describe("Batch jobs run per day."),
    jobDuration: duration.default("1h").describe("How long one job runs."),
    jobVcpus: count("jobVcpus").default(0).describe("vCPUs one job uses; when not given, a job is assumed to use the peak vCPUs."),
  })
  .default({ peakVcpus: 0, interruptible: false, jobsPerDay: 1, jobDuration: "1h", jobVcpus: 0 });

const media = z
  .strictObject({
    imagesPerDay: count("imagesPerDay").default(1000).describe("Images uploaded or processed per day."),
    imageMb: amount("imageMb", 1e5).default(2).describe("Average size of one original image, in MB."),
    videoHoursPerDay: amount("videoHoursPerDay", 1e7).default(0).describe("Hours of video source processed per day."),
  })
  .default({ imagesPerDay: 1000, imageMb: 2, videoHoursPerDay: 0 });

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
    media,
  });

export type Requirements = z.output<typeof requirementsSchema>;
export type RequirementsInput = z.input<typeof requirementsSchema>;
