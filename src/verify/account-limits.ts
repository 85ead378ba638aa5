import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { Infrastructure, Resource } from "./templates.ts";

/**
 * The default AWS quotas a generated app must fit (limits/account-limits.yaml): what each measures in
 * a synthesized template, the default, and what must stay free. One table for the settings
 * derivation, `verify` and the suite.
 */
const measureSchema = z
  .object({
    type: z.string().regex(/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/),
    /** a property summed over the resources (missing counts 0); else the resources are counted */
    sum: z.string().optional(),
    count: z.literal(true).optional(),
    /** only resources whose property (a dotted path) has this value */
    when: z.record(z.string(), z.string()).optional(),
    /** leave out resources whose property has this value */
    unless: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine((m) => (m.sum === undefined) !== (m.count === undefined), "give either sum or count");

const limitSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    quota: z.string().min(1),
    quotaCode: z.string().regex(/^L-[0-9A-F]{8}$/).optional(),
    default: z.number().int().positive(),
    keepFree: z.number().int().nonnegative().default(0),
    why: z.string().min(1),
    measure: measureSchema,
    source: z.url(),
    checked: z.union([z.string(), z.date()]).transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d)),
  })
  .strict();

export type AccountLimit = z.infer<typeof limitSchema>;
/** How much of one quota an app uses in one Region. */
export type LimitUse = { limit: AccountLimit; region: string; used: number; allowed: number; resources: Resource[] };

export const ACCOUNT_LIMITS_FILE = "limits/account-limits.yaml";

/** Set by the build from limits/account-limits.yaml, so the built CLI reads no file for it. */
declare const __ACCOUNT_LIMITS__: AccountLimit[] | undefined;

let cached: AccountLimit[] | undefined;
export function accountLimits(): AccountLimit[] {
  cached ??= typeof __ACCOUNT_LIMITS__ === "object" ? __ACCOUNT_LIMITS__ : readAccountLimits();
  return cached;
}

/** Reads and validates the table; a bad entry is a bug in this repository, so it throws plainly. */
export function readAccountLimits(file = join(import.meta.dirname, "../..", ACCOUNT_LIMITS_FILE)): AccountLimit[] {
  const parsed = z.array(limitSchema).safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const ids = parsed.data.map((l) => l.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new Error(`${file}: ${repeated} is listed twice`);
  return parsed.data;
}

/** The limit of the given id; throws when the table lacks it (a bug). */
export function accountLimit(id: string): AccountLimit & { allowed: number } {
  const limit = accountLimits().find((l) => l.id === id);
  if (limit === undefined) throw new Error(`${ACCOUNT_LIMITS_FILE} has no ${id}`);
  return { ...limit, allowed: limit.default - limit.keepFree };
}

const valueAt = (properties: Record<string, unknown>, path: string): unknown =>
  path.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), properties);
const matches = (r: Resource, wanted: Record<string, string>) => Object.entries(wanted).every(([path, value]) => valueAt(r.properties, path) === value);

/**
 * Each quota's use, per Region (stacks without a concrete Region count as one, "any Region"). A
 * summed property that is not a plain number (a token, a parameter) counts as 0 and is not judged.
 */
export function measureAccountLimits(infrastructure: Infrastructure, limits = accountLimits()): LimitUse[] {
  const regions = new Map<string, Resource[]>();
  for (const stack of infrastructure.stacks) {
    const region = stack.region ?? "any Region";
    regions.set(region, [...(regions.get(region) ?? []), ...stack.resources]);
  }
  const uses: LimitUse[] = [];
  for (const limit of limits) {
    const m = limit.measure;
    for (const [region, resources] of regions) {
      const counted = resources.filter((r) => r.type === m.type && (!m.when || matches(r, m.when)) && !(m.unless && matches(r, m.unless)));
      if (counted.length === 0) continue;
      const used = m.sum === undefined ? counted.length : counted.reduce((total, r) => total + (typeof r.properties[m.sum!] === "number" ? (r.properties[m.sum!] as number) : Number(r.properties[m.sum!]) || 0), 0);
      uses.push({ limit, region, used, allowed: limit.default - limit.keepFree, resources: counted });
    }
  }
  return uses;
}

/** What to ask AWS for when a need exceeds a default quota: the quota, its code and the number. */
export function quotaIncrease(limit: AccountLimit, need: number): string {
  return `request a ${limit.quota} quota of at least ${need + limit.keepFree}${limit.quotaCode ? ` (Service Quotas code ${limit.quotaCode})` : ""}`;
}
