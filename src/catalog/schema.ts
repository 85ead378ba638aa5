import { z } from "zod";
import { DURATION_PATTERN } from "../requirements/duration.ts";
import { FIELD_BY_PATH, FIELDS, type Field } from "../requirements/fields.ts";
import { didYouMean } from "../suggest.ts";
import { PILLARS } from "./values.ts";
import { COMPLIANCE_REGIMES, KEBAB_NAME, WORKLOADS } from "../requirements/schema.ts";

export const PATTERN_KINDS = ["pattern", "generic"] as const;

/** cdk-nag rule packs a scaffold can run (class names exported by cdk-nag 3). */
export const NAG_PACKS = ["AwsSolutionsChecks", "HIPAASecurityChecks", "PCIDSS321Checks", "NIST80053R5Checks", "ServerlessChecks"] as const;
export type NagPack = (typeof NAG_PACKS)[number];

/** What a generated stack can offer complements composed into its app (see templates/cdk/_base/lib/host.ts). */
export const HOST_PARTS = ["vpc", "front-door"] as const;
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

const OPERATORS_BY_KIND: Record<Field["kind"], readonly (keyof Condition)[]> = {
  int: ["gte", "gt", "lte", "lt", "eq"],
  number: ["gte", "gt", "lte", "lt", "eq"],
  budget: ["gte", "gt", "lte", "lt", "isEmpty"],
  duration: ["gte", "gt", "lte", "lt", "eq"],
  enum: ["eq", "in", "notIn"],
  set: ["includes", "includesAny", "excludes", "isEmpty"],
  bool: ["eq"],
  name: ["eq"],
};

/** `when`: requirement path -> condition; every condition must hold. */
export const whenSchema = z
  .record(z.string(), conditionSchema)
  .superRefine((when, ctx) => {
    const entries = Object.entries(when);
    if (entries.length === 0) ctx.addIssue({ code: "custom", message: "needs at least one requirement path" });
    for (const [path, condition] of entries) {
      const field = FIELD_BY_PATH.get(path);
      if (!field) {
        const hint = didYouMean(path, FIELDS.map((f) => f.path));
        ctx.addIssue({ code: "custom", path: [path], message: `unknown requirement path${hint || `; known paths: ${FIELDS.map((f) => f.path).join(", ")}`}` });
        continue;
      }
      const operators = Object.keys(condition) as (keyof Condition)[];
      if (operators.length === 0) ctx.addIssue({ code: "custom", path: [path], message: "needs an operator" });
      for (const op of operators) {
        if (!OPERATORS_BY_KIND[field.kind].includes(op)) {
          ctx.addIssue({ code: "custom", path: [path, op], message: `operator not valid for a ${field.kind} field; use ${OPERATORS_BY_KIND[field.kind].join(", ")}` });
          continue;
        }
        checkOperand(field, op, condition[op], (message) => ctx.addIssue({ code: "custom", path: [path, op], message }));
      }
    }
  });
export type When = z.infer<typeof whenSchema>;

function checkOperand(field: Field, op: keyof Condition, operand: unknown, fail: (message: string) => void): void {
  const values = field.values ?? [];
  const known = (v: unknown) => typeof v === "string" && values.includes(v);
  switch (field.kind) {
    case "int":
    case "number":
    case "budget":
      if (op !== "isEmpty" && typeof operand !== "number") fail("expected a number");
      return;
    case "duration":
      if (typeof operand !== "string" || !DURATION_PATTERN.test(operand)) fail("expected a duration such as 5m or 1h");
      return;
    case "enum":
    case "set": {
      if (op === "isEmpty") return;
      const list = Array.isArray(operand) ? operand : [operand];
      for (const v of list) if (!known(v)) fail(`unknown value ${JSON.stringify(v)}; expected one of ${values.join(", ")}`);
      return;
    }
    case "bool":
      if (typeof operand !== "boolean") fail("expected true or false");
      return;
    case "name":
      if (typeof operand !== "string") fail("expected a string");
  }
}

const service = z.strictObject({
  id: kebabId,
  name: text,
  role: text,
});

/** Where a node sits in the architecture; complements attach to a primary's nodes by tier. */
export const TIERS = ["client", "edge", "entry", "compute", "messaging", "cache", "data", "storage", "analytics", "security", "operations"] as const;

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
  label: text.optional(),
});

const diagram = z.strictObject({
  direction: z.enum(["LR", "TB"]).default("LR"),
  nodes: z.array(diagramNode).min(2, "a diagram needs at least two nodes"),
  edges: z.array(z.strictObject({ from: kebabId, to: kebabId, label: text.optional() })).min(1, "a diagram needs at least one edge"),
  attach: z.array(attachment).default([]),
});

const ceiling = z.strictObject({ max: z.number().positive() });

const costTerm = z.strictObject({
  /** a numeric requirement path whose value drives this cost */
  per: z.string().refine((p) => ["int", "number"].includes(FIELD_BY_PATH.get(p)?.kind ?? ""), "expected a numeric requirement path such as traffic.requestsPerSecond"),
  /** how many of that quantity one `usd` buys per month */
  unit: z.number().positive(),
  usd: z.number().nonnegative(),
  says: text,
});

const envelope = z.strictObject({
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
});

const risk = z.strictObject({ risk: text, mitigation: text });

export { PILLARS };

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
        /** when recommended as a complement: how the requirement-derived settings already carry it */
        viaSettings: text.optional(),
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
  .superRefine((p, ctx) => {
    const serviceIds = new Set(p.services.map((s) => s.id));
    const nodeIds = new Set<string>();
    p.services.forEach((s, i) => {
      if (p.services.findIndex((t) => t.id === s.id) !== i) ctx.addIssue({ code: "custom", path: ["services", i, "id"], message: `duplicate service id ${s.id}` });
    });
    p.diagram.nodes.forEach((n, i) => {
      if (nodeIds.has(n.id)) ctx.addIssue({ code: "custom", path: ["diagram", "nodes", i, "id"], message: `duplicate node id ${n.id}` });
      nodeIds.add(n.id);
      if (n.service !== undefined && !serviceIds.has(n.service))
        ctx.addIssue({ code: "custom", path: ["diagram", "nodes", i, "service"], message: `not a service of this entry: ${n.service}` });
      if (n.service === undefined && n.label === undefined)
        ctx.addIssue({ code: "custom", path: ["diagram", "nodes", i], message: "an actor node (no service) needs a label" });
    });
    p.diagram.attach.forEach((a, i) => {
      if (!nodeIds.has(a.node)) ctx.addIssue({ code: "custom", path: ["diagram", "attach", i, "node"], message: `no node with id ${a.node}` });
    });
    p.diagram.edges.forEach((e, i) => {
      for (const end of ["from", "to"] as const)
        if (!nodeIds.has(e[end])) ctx.addIssue({ code: "custom", path: ["diagram", "edges", i, end], message: `no node with id ${e[end]}` });
    });
    const drawn = new Set(p.diagram.nodes.map((n) => n.service));
    p.services.forEach((s, i) => {
      if (!drawn.has(s.id)) ctx.addIssue({ code: "custom", path: ["services", i], message: `service ${s.id} is not drawn in the diagram` });
    });
    if (p.kind === "pattern" && p.embodies.length === 0)
      ctx.addIssue({ code: "custom", path: ["embodies"], message: "a concrete pattern names the generic styles it embodies" });
    p.fit.rules.forEach((r, i) => {
      if (r.on !== undefined && !FIELD_BY_PATH.has(r.on)) ctx.addIssue({ code: "custom", path: ["fit", "rules", i, "on"], message: "expected a requirement path" });
    });
  });

export type Pattern = z.output<typeof patternSchema>;
export type PatternInput = z.input<typeof patternSchema>;
export type Catalog = readonly Pattern[];
