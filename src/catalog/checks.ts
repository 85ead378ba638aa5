/**
 * The catalog's rules that go beyond types: the refinements of the pattern schema.
 */
import { DURATION_PATTERN } from "../requirements/duration.ts";
import { FIELD_BY_PATH, FIELDS, type Field } from "../requirements/fields.ts";
import { didYouMean } from "../suggest.ts";
import { USAGE_QUANTITIES } from "../scoring/usage.ts";
import type { Condition, Pattern, When } from "./schema.ts";

/** Where a problem is and what it is; a rule reports each one it finds. */
export type Report = (path: (string | number)[], message: string) => void;

export const OPERATORS_BY_KIND: Record<Field["kind"], readonly (keyof Condition)[]> = {
  int: ["gte", "gt", "lte", "lt", "eq"],
  number: ["gte", "gt", "lte", "lt", "eq"],
  budget: ["gte", "gt", "lte", "lt", "isEmpty"],
  duration: ["gte", "gt", "lte", "lt", "eq"],
  enum: ["eq", "in", "notIn"],
  set: ["includes", "includesAny", "excludes", "isEmpty"],
  list: ["includes", "includesAny", "excludes", "isEmpty"],
  bool: ["eq"],
  name: ["eq"],
};

/** A `per` of a cost term: a numeric requirement path, or a monthly usage quantity. */
export function isNumericPath(path: string): boolean {
  return ["int", "number"].includes(FIELD_BY_PATH.get(path)?.kind ?? "") || (USAGE_QUANTITIES as readonly string[]).includes(path);
}

/** `when`: at least one known requirement path, each with operators that fit its field and operands of the field's kind. */
export function whenProblems(when: When, add: Report): void {
  const entries = Object.entries(when);
  if (entries.length === 0) add([], "needs at least one requirement path");
  for (const [path, condition] of entries) {
    const field = FIELD_BY_PATH.get(path);
    if (!field) {
      const hint = didYouMean(path, FIELDS.map((f) => f.path));
      add([path], `unknown requirement path${hint || `; known paths: ${FIELDS.map((f) => f.path).join(", ")}`}`);
      continue;
    }
    const operators = Object.keys(condition) as (keyof Condition)[];
    if (operators.length === 0) add([path], "needs an operator");
    for (const op of operators) {
      if (!OPERATORS_BY_KIND[field.kind].includes(op)) {
        add([path, op], `operator not valid for a ${field.kind} field; use ${OPERATORS_BY_KIND[field.kind].join(", ")}`);
        continue;
      }
      checkOperand(field, op, condition[op], (message) => add([path, op], message));
    }
  }
}

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
    case "list":
      if (op === "isEmpty") return;
      for (const v of Array.isArray(operand) ? operand : [operand]) if (typeof v !== "string") fail("expected a string");
      return;
    case "bool":
      if (typeof operand !== "boolean") fail("expected true or false");
      return;
    case "name":
      if (typeof operand !== "string") fail("expected a string");
  }
}

/** An entry as a whole: unique service and node ids, a diagram that draws every service and only known nodes, known rule paths. */
export function patternProblems(p: Pattern, add: Report): void {
  const serviceIds = new Set(p.services.map((s) => s.id));
  const nodeIds = new Set<string>();
  p.services.forEach((s, i) => {
    if (p.services.findIndex((t) => t.id === s.id) !== i) add(["services", i, "id"], `duplicate service id ${s.id}`);
  });
  p.diagram.nodes.forEach((n, i) => {
    if (nodeIds.has(n.id)) add(["diagram", "nodes", i, "id"], `duplicate node id ${n.id}`);
    nodeIds.add(n.id);
    if (n.service !== undefined && !serviceIds.has(n.service))
      add(["diagram", "nodes", i, "service"], `not a service of this entry: ${n.service}`);
    if (n.service === undefined && n.label === undefined)
      add(["diagram", "nodes", i], "an actor node (no service) needs a label");
  });
  p.diagram.attach.forEach((a, i) => {
    if (!nodeIds.has(a.node)) add(["diagram", "attach", i, "node"], `no node with id ${a.node}`);
  });
  p.diagram.edges.forEach((e, i) => {
    for (const end of ["from", "to"] as const)
      if (!nodeIds.has(e[end])) add(["diagram", "edges", i, end], `no node with id ${e[end]}`);
  });
  const grouped = new Set(p.diagram.nodes.map((n) => n.group));
  p.diagram.groups.forEach((g, i) => {
    if (!grouped.has(g.name)) add(["diagram", "groups", i, "name"], `no node is in a group named ${JSON.stringify(g.name)}`);
    if (p.diagram.groups.findIndex((h) => h.name === g.name) !== i) add(["diagram", "groups", i, "name"], `group ${JSON.stringify(g.name)} is listed twice`);
  });
  const drawn = new Set(p.diagram.nodes.map((n) => n.service));
  p.services.forEach((s, i) => {
    if (!drawn.has(s.id)) add(["services", i], `service ${s.id} is not drawn in the diagram`);
  });
  if (p.kind === "pattern" && p.embodies.length === 0)
    add(["embodies"], "a concrete pattern names the generic styles it embodies");
  p.fit.rules.forEach((r, i) => {
    if (r.on !== undefined && !FIELD_BY_PATH.has(r.on)) add(["fit", "rules", i, "on"], "expected a requirement path");
  });
}
