import type { Condition, When } from "../catalog/schema.ts";
import { toSeconds } from "../requirements/duration.ts";
import { FIELD_BY_PATH, getPath } from "../requirements/fields.ts";
import type { Requirements } from "../requirements/schema.ts";

/** True when every condition of `when` holds for the requirements. */
export function holds(when: When, requirements: Requirements): boolean {
  return Object.entries(when).every(([path, condition]) => satisfies(path, condition, requirements));
}

function satisfies(path: string, condition: Condition, requirements: Requirements): boolean {
  const kind = FIELD_BY_PATH.get(path)?.kind;
  const raw = getPath(requirements, path);
  if (kind === "set" || kind === "list") {
    const list = Array.isArray(raw) ? (raw as string[]) : [];
    if (condition.includes !== undefined && !list.includes(condition.includes)) return false;
    if (condition.includesAny !== undefined && !condition.includesAny.some((v) => list.includes(v))) return false;
    if (condition.excludes !== undefined && list.includes(condition.excludes)) return false;
    if (condition.isEmpty !== undefined && (list.length === 0) !== condition.isEmpty) return false;
    return true;
  }
  if (condition.isEmpty !== undefined && (raw === null || raw === undefined) !== condition.isEmpty) return false;
  if (condition.in !== undefined && !condition.in.includes(String(raw))) return false;
  if (condition.notIn !== undefined && condition.notIn.includes(String(raw))) return false;
  if (condition.eq !== undefined && comparable(kind, raw) !== comparable(kind, condition.eq)) return false;
  const ordered: [keyof Condition, (a: number, b: number) => boolean][] = [
    ["gte", (a, b) => a >= b],
    ["gt", (a, b) => a > b],
    ["lte", (a, b) => a <= b],
    ["lt", (a, b) => a < b],
  ];
  for (const [op, test] of ordered) {
    const operand = condition[op];
    if (operand === undefined) continue;
    const value = comparable(kind, raw);
    // an absent number (no budget given) satisfies no comparison
    if (typeof value !== "number") return false;
    if (!test(value, comparable(kind, operand) as number)) return false;
  }
  return true;
}

function comparable(kind: string | undefined, value: unknown): unknown {
  if (kind === "duration" && typeof value === "string") return toSeconds(value);
  return value;
}
