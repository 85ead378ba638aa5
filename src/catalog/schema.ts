import { z } from "zod";
import { DURATION_PATTERN } from "../requirements/duration.ts";
import { FIELD_BY_PATH } from "../requirements/fields.ts";
import { isNumericPath, patternProblems, whenProblems } from "./checks.ts";
import { USAGE_QUANTITIES } from "../scoring/usage.ts";
import { GROUP_KINDS, HOST_PARTS, NAG_PACKS, PATTERN_KINDS, PILLARS, TIERS } from "./values.ts";
import { COMPLIANCE_REGIMES, KEBAB_NAME, WORKLOADS } from "../requirements/schema.ts";


export type NagPack = (typeof NAG_PACKS)[number];

export type HostPart = (typeof HOST_PARTS)[number];

const text = z.string().trim().min(1, "must not be empty");
const sentences = z.array(text).min(1, "needs at least one entry");
const kebabId = z.string().regex(KEBAB_NAME, "expected a kebab-case id");

/**
 * A condition on one requirement field. Numbers and durations compare with gte/gt/lte/lt/eq;
 * enums with eq/in/notIn; lists (workload, compliance) with includes/includesAny/excludes/isEmpty;
 * booleans with eq. Which operators fit which field is checked against the field list.
 */
const scalar = z.union([z.number(), z.string(), z.boolean()]);
export const conditionSchema = z.strictObject({
  gte: scalar.optional(),
  gt: scalar.optional(),
  lte: scalar.optional(),
  lt: scalar.optional(),
  eq: scalar.optional(),
  in: z.array(z.string()).min(1).optional(),
  notIn: z.array(z.string()).min(1).optional(),
  includes: z.string().optional(),
  includesAny: z.array(z.string()).min(1).optional(),
  excludes: z.string().optional(),
  isEmpty: z.boolean().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

/** `when`: requirement path -> condition; every condition must hold. */
export const whenSchema = z
  .record(z.string(), conditionSchema)
  .superRefine((when, ctx) => whenProblems(when, (path, message) => ctx.addIssue({ code: "custom", message, ...(path.length > 0 ? { path } : {}) })));
export type When = z.infer<typeof whenSchema>;


const service = z.strictObject({
  id: kebabId,
  name: text,
  role: text,
});


const diagramNode = z.strictObject({
  id: kebabId,
  /** a service id from `services`; a node without one is an actor outside the system (users, sources) */
  service: kebabId.optional(),
  label: text.optional(),
  /** nodes sharing a group are drawn together (a region, a VPC, an edge tier) */
  group: text.optional(),
  tier: z.enum(TIERS).optional(),
});

/** How this entry joins another entry's diagram when it is recommended as a complement. */
const attachment = z.strictObject({
  /** one of this entry's nodes, drawn in the primary's diagram */
  node: kebabId,
  /** the primary's nodes of this tier it connects to (its first service node when it has none) */
  tier: z.enum(TIERS),
  /** `from`: primary node -> this node; `to`: this node -> primary node */
  direction: z.enum(["from", "to"]).default("from"),
  /** only the primary's nodes of the tier that run one of these services (a replica joins the store it replicates) */
  services: z.array(kebabId).min(1).optional(),
  label: text.optional(),
});

const diagram = z.strictObject({
  direction: z.enum(["LR", "TB"]).default("LR"),
  nodes: z.array(diagramNode).min(2, "a diagram needs at least two nodes"),
  edges: z.array(z.strictObject({ from: kebabId, to: kebabId, label: text.optional() })).min(1, "a diagram needs at least one edge"),
  attach: z.array(attachment).default([]),
  /** what a group named by the nodes stands for (a Region, a VPC, ...); a group not listed is generic */
  groups: z.array(z.strictObject({ name: text, kind: z.enum(GROUP_KINDS) })).default([]),
});

const ceiling = z.strictObject({ max: z.number().positive() });

const costTerm = z
  .strictObject({
    /** a numeric requirement path, or a monthly usage quantity (usage.*), whose value drives this cost */
    per: z.string().refine(isNumericPath, `expected a numeric requirement path such as traffic.requestsPerSecond, or one of ${USAGE_QUANTITIES.join(", ")}`),
    /** how many of that quantity one `usd` (or one tier price) buys per month */
    unit: z.number().positive(),
    /** price per unit; leave out when `tiers` gives the prices */
    usd: z.number().nonnegative().optional(),
    /** volume tiers: each price applies to the quantity up to `upTo` (the last tier has none) */
    tiers: z.array(z.strictObject({ upTo: z.number().positive().optional(), usd: z.number().nonnegative() })).min(1).optional(),
    /** only the quantity above this counts (capacity the floor already pays for) */
    above: z.number().nonnegative().default(0),
    /** bought in whole units (instances, shards): the quantity over `unit` rounds up */
    whole: z.boolean().default(false),
    says: text,
  })
  .refine((t) => (t.usd === undefined) !== (t.tiers === undefined), "give either usd or tiers");

const envelope = z.strictObject({
  /** AWS Regions the design runs in; more than the data's residency allows is a hard miss */
  regions: z.number().int().min(1).max(10).default(1),
  devices: ceiling.optional(),
  concurrentUsers: ceiling.optional(),
  requestsPerSecond: ceiling.optional(),
  eventsPerSecond: ceiling.optional(),
  batchVcpus: ceiling.optional(),
  /** typical p99 for user-facing requests; omit for systems that serve no interactive requests */
  latencyMs: z.strictObject({ typical: z.number().int().positive() }).optional(),
  availability: z.number().min(90).lt(100),
  rpo: z.string().regex(DURATION_PATTERN, "expected a duration such as 5m"),
  rto: z.string().regex(DURATION_PATTERN, "expected a duration such as 15m"),
  /** regimes this pattern can be operated under, as designed */
  compliance: z.array(z.enum(COMPLIANCE_REGIMES)).default([]),
  /**
   * What the design says of a regime beyond the list: for a listed regime, the condition the team
   * must meet that the design does not (it then earns half the bonus and the reason names it); for
   * an unlisted one, why the design does not offer it.
   */
  complianceNotes: z.partialRecord(z.enum(COMPLIANCE_REGIMES), text).default({}),
  cost: z.strictObject({
    floorMonthlyUsd: z.number().nonnegative(),
    terms: z.array(costTerm).default([]),
    pricesAsOf: z.string().regex(/^\d{4}-\d{2}$/, "expected YYYY-MM"),
    notes: text.optional(),
  }),
});

const rule = z.strictObject({
  when: whenSchema,
  points: z.number().int().min(-40).max(40).refine((n) => n !== 0, "a rule with 0 points says nothing"),
  says: text,
  /** the requirement path the reason is reported on; defaults to the first path of `when` */
  on: z.string().optional(),
});

const need = z.strictObject({
  /** the requirement path the need comes from */
  on: z.string().refine((p) => FIELD_BY_PATH.has(p), "expected a requirement path"),
  when: whenSchema,
  says: text,
});

const fit = z.strictObject({
  /** points by requested workload; the mean over the requested workloads is scored */
  workloads: z.partialRecord(z.enum(WORKLOADS), z.number().int().min(-40).max(40)),
  rules: z.array(rule).default([]),
  /** needs this entry already meets itself, so no complement is added for them */
  handles: z.array(need).default([]),
  /** needs this entry covers when another entry is primary */
  complements: z.array(need).default([]),
  /**
   * How it joins a primary as a complement: `inline` sits in the request path or wraps the primary
   * (a cache, a CDN, a compliance foundation, a standby Region), so its own envelope bounds the
   * composed design; `beside` runs alongside (analytics, a lake, CI/CD, batch) and bounds nothing.
   */
  composes: z.enum(["inline", "beside"]).default("beside"),
});

const risk = z.strictObject({ risk: text, mitigation: text });

export { GROUP_KINDS, HOST_PARTS, NAG_PACKS, PATTERN_KINDS, PILLARS, TIERS };

export const patternSchema = z
  .strictObject({
    id: kebabId,
    title: text,
    kind: z.enum(PATTERN_KINDS),
    summary: text,
    problem: text,
    /** generic styles (ids of generic entries) a concrete pattern embodies */
    embodies: z.array(kebabId).default([]),
    services: z.array(service).min(1),
    diagram,
    whyItWorks: sentences,
    pros: sentences,
    cons: sentences,
    pillars: z.strictObject(Object.fromEntries(PILLARS.map((p) => [p, text])) as Record<(typeof PILLARS)[number], typeof text>).optional(),
    risks: z.array(risk).default([]),
    envelope,
    fit,
    scaffold: z
      .strictObject({
        /** CloudFormation types the synthesized scaffold must contain */
        resources: z.array(z.string().regex(/^AWS::\w+::\w+$/, "expected a CloudFormation type such as AWS::S3::Bucket")).min(1),
        /** cdk-nag packs the scaffold runs besides AwsSolutionsChecks */
        nagPacks: z.array(z.enum(NAG_PACKS)).default([]),
        /** parts of the generated stack that complements composed into the same app can use */
        provides: z.array(z.enum(HOST_PARTS)).default([]),
        /** compliance regimes whose cdk-nag packs the app passes when its settings name them (proven in the suite) */
        compliance: z.array(z.enum(COMPLIANCE_REGIMES)).default([]),
        /**
         * How many of the app's functions each reserve `settings.reservedConcurrency` (the functions
         * that serve requests). The settings keep their sum within the account's default quota.
         */
        reservedFunctions: z.number().int().min(1).max(50).default(1),
        /** when recommended as a complement: how the requirement-derived settings already carry it */
        viaSettings: text.optional(),
        /**
         * What this entry adds to another design's bill when composed into it as a complement (the
         * add-on's own resources, not its stand-alone floor). Without it, the stand-alone estimate is
         * counted, which suits entries that bring a whole layer of their own (a standby Region).
         */
        addedCost: z
          .strictObject({
            floorMonthlyUsd: z.number().nonnegative(),
            terms: z.array(costTerm).default([]),
            says: text,
          })
          .optional(),
        /**
         * How this entry joins another entry's app as a complement: a construct in the template's
         * `_addon/` folder, built inside the primary stack with `{ host, settings }`.
         */
        addon: z
          .strictObject({
            /** exported class name */
            construct: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "expected a PascalCase class name"),
            /** module under lib/, without extension, e.g. addons/read-through-cache */
            module: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, "expected a path such as addons/read-through-cache"),
            /** host parts the construct cannot work without */
            needs: z.array(z.enum(HOST_PARTS)).default([]),
            /** CloudFormation types the composed construct adds */
            resources: z.array(z.string().regex(/^AWS::\w+::\w+$/, "expected a CloudFormation type such as AWS::S3::Bucket")).min(1),
            /** one line for the README: what joining the app does */
            says: text,
          })
          .optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => patternProblems(p, (path, message) => ctx.addIssue({ code: "custom", path, message })));

export type Pattern = z.output<typeof patternSchema>;
export type PatternInput = z.input<typeof patternSchema>;
export type Catalog = readonly Pattern[];
