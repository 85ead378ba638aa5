import { loadCatalog } from "../catalog/load.ts";
import type { Catalog } from "../catalog/schema.ts";
import { UserError } from "../errors.ts";
import { makeStyle, formatTable } from "../render/style.ts";

/** `list`: the catalog, one line an entry (or JSON). */
export async function list(options: { format?: string; patterns?: string[] }): Promise<void> {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json") throw new UserError(`--format: expected text or json, found ${JSON.stringify(format)}`);
  const catalog = await loadCatalog(options.patterns ?? []);
  if (format === "json") {
    process.stdout.write(listJson(catalog));
    return;
  }
  const c = makeStyle(process.stdout);
  const ordered = [...catalog].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "pattern" ? -1 : 1));
  const rows = ordered.map((p) => [c.bold(p.id), c.dim(p.kind), p.title]);
  process.stdout.write(`${formatTable(rows, "").join("\n")}\n`);
}

/** What `list --format json` prints: id, title, kind, summary and what it embodies, an entry each. */
export function listJson(catalog: Catalog): string {
  const entries = catalog.map((p) => ({ id: p.id, title: p.title, kind: p.kind, summary: p.summary, embodies: p.embodies }));
  return `${JSON.stringify(entries, null, 2)}\n`;
}
