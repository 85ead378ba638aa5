import { Chalk, type ChalkInstance } from "chalk";

/** Colour only for a terminal, never when NO_COLOR is set (https://no-color.org) or --no-color is given. */
export function makeStyle(stream: NodeJS.WriteStream, allowed = true): ChalkInstance {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";
  return new Chalk({ level: allowed && !noColor && stream.isTTY === true ? 1 : 0 });
}

/** Left-aligned columns; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "").length;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell)))).join("  ").trimEnd());
}
