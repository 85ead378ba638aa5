import { formatNumber } from "../format-number.ts";
import type { Basis } from "./basis.ts";
import { FIELDS, getPath, type Field } from "./fields.ts";

/** A field's value as a person reads it: `web-app, api`, `none`, `5m`. */
export function describeValue(field: Field, value: unknown): string {
  if (value === null || value === undefined) return field.kind === "budget" ? "none" : "-";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** Label / value rows for every field that has a value, in the order of FIELDS. */
export function summaryRows(data: unknown): [label: string, value: string][] {
  return FIELDS.filter((f) => getPath(data, f.path) !== undefined).map((f) => {
    const value = getPath(data, f.path);
    if (typeof value !== "number") return [f.label, describeValue(f, value)];
    return [f.label, `${formatNumber(value)}${f.unit ? ` ${f.unit}` : ""}`];
  });
}

/** The rows the advice stands on: stated fields, and those derived from them with how. */
export function knownRows(data: unknown, basis: Basis): { label: string; value: string; path: string; derived?: string }[] {
  const rows = summaryRows(data);
  return FIELDS.filter((f) => getPath(data, f.path) !== undefined)
    .map((f, i) => ({ label: rows[i]![0], value: rows[i]![1], path: f.path, derivation: basis.derived.get(f.path) }))
    .filter((row) => basis.stated.has(row.path) || row.derivation !== undefined)
    .map(({ derivation, ...row }) => (basis.stated.has(row.path) || derivation === undefined ? row : { ...row, derived: derivation.says }));
}
