import { DURATION_PATTERN } from "./duration.ts";
import type { Field } from "./fields.ts";

/**
 * The forms people type, read as the canonical value, for flags, files and prompts alike:
 * `99.95%`, `1,000`, `1_000`, `$5,000`, `5k`, `2M`; `15 minutes`, `15 min`, `1 hour`, `2h30m`;
 * `yes`/`no`; `Cache-Aside` for an enum value; one workload given as text. Anything it does not
 * recognise is returned unchanged, for the schema to refuse with its own message.
 */
export function forgive(field: Field, value: unknown): unknown {
  switch (field.kind) {
    case "int":
    case "number":
      return typeof value === "string" ? (readNumber(value) ?? value) : value;
    case "budget":
      if (typeof value !== "string") return value;
      if (/^\s*(none|null|no budget|)\s*$/i.test(value)) return null;
      return readNumber(value) ?? value;
    case "duration":
      return typeof value === "string" ? (readDuration(value) ?? value) : value;
    case "bool":
      if (typeof value !== "string") return value;
      if (/^\s*(yes|y|true|on)\s*$/i.test(value)) return true;
      if (/^\s*(no|n|false|off)\s*$/i.test(value)) return false;
      return value;
    case "enum":
      return typeof value === "string" ? (match(field, value) ?? value) : value;
    case "set": {
      const list = typeof value === "string" ? value.split(",").map((v) => v.trim()).filter((v) => v !== "") : value;
      if (typeof value === "string" && /^\s*none\s*$/i.test(value)) return [];
      return Array.isArray(list) ? list.map((v) => (typeof v === "string" ? (match(field, v) ?? v) : v)) : list;
    }
    case "list":
      return typeof value === "string" ? value.split(",").map((v) => v.trim().toLowerCase()).filter((v) => v !== "") : value;
    default:
      return value;
  }
}

/** An enum or set value written in another case, or with spaces or underscores for dashes. */
function match(field: Field, text: string): string | undefined {
  const wanted = text.trim().toLowerCase().replace(/[\s_]+/g, "-");
  return (field.values ?? []).find((v) => v === wanted);
}

const MULTIPLIERS: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6 };

/** `$5,000`, `99.95%`, `1_000`, `5k`, `2M`, `5000 USD`: a number; undefined for anything else. */
export function readNumber(text: string): number | undefined {
  const m = /^\s*\$?\s*([+-]?(?:\d{1,3}(?:[,_]\d{3})+|\d+(?:_\d+)*)(?:\.\d+)?|[+-]?\.\d+)\s*([kKM]?)\s*(%|usd|USD)?\s*$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!.replace(/[,_]/g, "");
  const n = Number(digits) * (MULTIPLIERS[m[2] ?? ""] ?? 1);
  return Number.isFinite(n) ? n : undefined;
}

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const UNIT_WORDS: [RegExp, string][] = [
  [/^(s|sec|secs|second|seconds)$/, "s"],
  [/^(m|min|mins|minute|minutes)$/, "m"],
  [/^(h|hr|hrs|hour|hours)$/, "h"],
  [/^(d|day|days)$/, "d"],
];

/** `15 minutes`, `15 min`, `1 hour`, `2h30m`, `1h 30m`: the canonical duration (`15m`, `1h`, `150m`); undefined for anything else. */
export function readDuration(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (DURATION_PATTERN.test(t)) return t;
  if (!/^(\d+(\.\d+)?\s*[a-z]+\s*)+$/.test(t)) return undefined;
  let seconds = 0;
  for (const [, amount, word] of t.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/g)) {
    const unit = UNIT_WORDS.find(([re]) => re.test(word!))?.[1];
    if (unit === undefined) return undefined;
    seconds += Number(amount) * SECONDS[unit]!;
  }
  if (seconds === 0) return "0";
  for (const unit of ["d", "h", "m", "s"]) {
    const n = seconds / SECONDS[unit]!;
    if (Number.isInteger(n)) return `${n}${unit}`;
  }
  return `${Math.round(seconds * 1000) / 1000}s`;
}
