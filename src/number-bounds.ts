/**
 * Bounds on a number as the zod schemas state them: `int` a safe integer, `min`/`max` inclusive,
 * `gt`/`lt` exclusive, `not` one value refused. Used by the zod-free quick check of requirements
 * (src/requirements/quick-parse.ts).
 */
export type Bounds = { int?: boolean; min?: number; gt?: number; max?: number; lt?: number; not?: number };

/** A finite number within the bounds (zod's number refuses NaN and the infinities). */
export function inBounds(x: unknown, bounds: Bounds): x is number {
  if (typeof x !== "number" || !Number.isFinite(x)) return false;
  if (bounds.int && !Number.isSafeInteger(x)) return false;
  if (bounds.min !== undefined && x < bounds.min) return false;
  if (bounds.gt !== undefined && x <= bounds.gt) return false;
  if (bounds.max !== undefined && x > bounds.max) return false;
  if (bounds.lt !== undefined && x >= bounds.lt) return false;
  return bounds.not === undefined || x !== bounds.not;
}
