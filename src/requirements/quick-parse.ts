import { inBounds, type Bounds } from "../number-bounds.ts";
import { DURATION_PATTERN } from "./duration.ts";
import type { Requirements } from "./schema.ts";
import { AUDIENCES, COMPLIANCE_REGIMES, FRESHNESS, KEBAB_NAME, OPS_CAPACITY, REGION_CODE, RESIDENCY, TRAFFIC_SHAPES, WORKLOADS } from "./values.ts";

/**
 * The requirements of a file and flags that are plainly valid, with defaults filled in exactly as
 * `requirementsSchema` fills them; `undefined` for anything else, which the schema then reports.
 * A valid file is the common case, and this spares it loading and building zod: about a third of
 * the instructions of `advise --format json`. It must accept exactly what the schema accepts and
 * return what the schema returns, key order included: test/requirements-quick-parse.test.ts
 * holds it to that, so a change to the schema without one here fails the suite.
 */
export function quickParseRequirements(input: unknown): Requirements | undefined {
  const top = record(input, ["$schema", "name", "workload", "traffic", "latencyMs", "availability", "rpo", "rto", "audience", "compliance", "budgetMonthlyUsd", "data", "team", "batch", "media"]);
  if (!top) return undefined;
  const traffic = record(or(top.traffic, {}), ["peakConcurrentUsers", "requestsPerSecond", "eventsPerSecond", "shape", "devices", "responseKb", "monthlyEgressGb"]);
  const data = record(or(top.data, {}), ["sources", "dailyVolumeGb", "freshness", "readWriteRatio", "auditHistory", "storedGb", "eventSizeKb", "residency", "allowedRegions"]);
  const team = record(or(top.team, {}), ["size", "deploysPerDay", "opsCapacity"]);
  const batch = record(or(top.batch, {}), ["peakVcpus", "interruptible", "jobsPerDay", "jobDuration", "jobVcpus"]);
  const media = record(or(top.media, {}), ["imagesPerDay", "imageMb", "videoHoursPerDay"]);
  if (!traffic || !data || !team || !batch || !media) return undefined;
  const result = {
    ...(top.$schema === undefined ? {} : { $schema: text(top.$schema) }),
    name: name(or(top.name, "my-app")),
    workload: setOf(top.workload, WORKLOADS, 1),
    traffic: {
      peakConcurrentUsers: count(or(traffic.peakConcurrentUsers, 100)),
      requestsPerSecond: count(or(traffic.requestsPerSecond, 10)),
      eventsPerSecond: count(or(traffic.eventsPerSecond, 0)),
      shape: oneOf(or(traffic.shape, "steady"), TRAFFIC_SHAPES),
      devices: count(or(traffic.devices, 0)),
      responseKb: within(or(traffic.responseKb, 20), { min: 0, max: 1e6 }),
      monthlyEgressGb: within(or(traffic.monthlyEgressGb, 0), { min: 0, max: 1e12 }),
    },
    latencyMs: within(or(top.latencyMs, 1000), { int: true, gt: 0, max: 3_600_000 }),
    availability: within(or(top.availability, 99.9), { min: 90, lt: 100 }),
    rpo: duration(or(top.rpo, "1d")),
    rto: duration(or(top.rto, "1d")),
    audience: oneOf(or(top.audience, "regional"), AUDIENCES),
    compliance: setOf(or(top.compliance, []), COMPLIANCE_REGIMES, 0),
    budgetMonthlyUsd: top.budgetMonthlyUsd === null || top.budgetMonthlyUsd === undefined ? null : within(top.budgetMonthlyUsd, { gt: 0, max: 1e12 }),
    data: {
      sources: count(or(data.sources, 1)),
      dailyVolumeGb: within(or(data.dailyVolumeGb, 1), { min: 0, max: 1e9 }),
      freshness: oneOf(or(data.freshness, "hours"), FRESHNESS),
      readWriteRatio: within(or(data.readWriteRatio, 1), { min: 0, max: 1e9 }),
      auditHistory: flag(or(data.auditHistory, false)),
      storedGb: within(or(data.storedGb, 10), { min: 0, max: 1e12 }),
      eventSizeKb: within(or(data.eventSizeKb, 1), { gt: 0, max: 1e6 }),
      residency: oneOf(or(data.residency, "none"), RESIDENCY),
      allowedRegions: regions(or(data.allowedRegions, [])),
    },
    team: {
      size: within(or(team.size, 3), { int: true, min: 1, max: 100_000 }),
      deploysPerDay: within(or(team.deploysPerDay, 1), { min: 0, max: 100_000 }),
      opsCapacity: oneOf(or(team.opsCapacity, "medium"), OPS_CAPACITY),
    },
    batch: {
      peakVcpus: count(or(batch.peakVcpus, 0)),
      interruptible: flag(or(batch.interruptible, false)),
      jobsPerDay: within(or(batch.jobsPerDay, 1), { min: 0, max: 1e9 }),
      jobDuration: duration(or(batch.jobDuration, "1h")),
      jobVcpus: count(or(batch.jobVcpus, 0)),
    },
    media: {
      imagesPerDay: count(or(media.imagesPerDay, 1000)),
      imageMb: within(or(media.imageMb, 2), { min: 0, max: 1e5 }),
      videoHoursPerDay: within(or(media.videoHoursPerDay, 0), { min: 0, max: 1e7 }),
    },
  };
  return hasInvalid(result) ? undefined : (result as Requirements);
}

/** A field's value, or its default when absent; `null` is a value (the schema refuses it). */
function or(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

/** Marks a value that failed a check; any such mark anywhere makes the whole input go to the schema. */
const INVALID = Symbol("invalid");
type Checked<T> = T | typeof INVALID;

/** A plain object with only the given keys (an `undefined` value counts as absent), else undefined. */
function record(value: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  for (const key of Object.keys(value)) if (!keys.includes(key)) return undefined;
  return value as Record<string, unknown>;
}

function text(value: unknown): Checked<string> {
  return typeof value === "string" ? value : INVALID;
}

function name(value: unknown): Checked<string> {
  return typeof value === "string" && value.length >= 1 && value.length <= 40 && KEBAB_NAME.test(value) ? value : INVALID;
}

function duration(value: unknown): Checked<string> {
  return typeof value === "string" && DURATION_PATTERN.test(value) ? value : INVALID;
}

function flag(value: unknown): Checked<boolean> {
  return typeof value === "boolean" ? value : INVALID;
}

function oneOf<T extends string>(value: unknown, values: readonly T[]): Checked<T> {
  return typeof value === "string" && (values as readonly string[]).includes(value) ? (value as T) : INVALID;
}

function setOf<T extends string>(value: unknown, values: readonly T[], min: number): Checked<T[]> {
  if (!Array.isArray(value) || value.length < min || new Set(value).size !== value.length) return INVALID;
  return value.every((v) => oneOf(v, values) !== INVALID) ? [...(value as T[])] : INVALID;
}

/** Unique AWS Region codes. */
function regions(value: unknown): Checked<string[]> {
  if (!Array.isArray(value) || new Set(value).size !== value.length) return INVALID;
  return value.every((v) => typeof v === "string" && REGION_CODE.test(v)) ? [...(value as string[])] : INVALID;
}

/** A count of things: a whole number from 0 to a trillion. */
function count(value: unknown): Checked<number> {
  return within(value, { int: true, min: 0, max: 1e12 });
}

function within(value: unknown, bounds: Bounds): Checked<number> {
  return inBounds(value, bounds) ? value : INVALID;
}

function hasInvalid(value: unknown): boolean {
  if (value === INVALID) return true;
  if (Array.isArray(value)) return value.some(hasInvalid);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasInvalid);
  return false;
}
