import { formatNumber } from "../format-number.ts";
import { findPattern, loadCatalog } from "../catalog/load.ts";
import type { Pattern } from "../catalog/schema.ts";
import { PILLAR_TITLES, PILLARS } from "../catalog/values.ts";
import { UserError } from "../errors.ts";
import { COMPLIANCE_REGIMES } from "../requirements/values.ts";
import { diagramOf, renderAsciiDiagram, renderMermaid } from "../render/diagram.ts";
import { makeStyle, formatTable } from "../render/style.ts";
import { describeRate, formatUsd } from "../scoring/cost.ts";

export const SHOW_FORMATS = ["text", "json", "mermaid"] as const;
export type ShowFormat = (typeof SHOW_FORMATS)[number];

/** `show <id>`: one entry in full. */
export async function show(id: string, options: { format?: string; patterns?: string[] }): Promise<void> {
  const format = options.format ?? "text";
  if (![...SHOW_FORMATS, "svg", "drawio"].includes(format)) throw new UserError(`--format: expected text, json, mermaid, svg or drawio, found ${JSON.stringify(format)}`);
  const catalog = await loadCatalog(options.patterns ?? []);
  const pattern = findPattern(catalog, id);
  if (format === "svg" || format === "drawio") {
    const { drawPictures } = await import("./picture.ts");
    process.stdout.write((await drawPictures(diagramOf(pattern), pattern.title, options.patterns ?? [], [format])).get(format)!);
    return;
  }
  process.stdout.write(renderShow(pattern, format as ShowFormat, makeStyle(process.stdout)));
}

/** What `show` prints for one entry: the text, the entry as JSON, or its diagram in Mermaid. */
export function renderShow(pattern: Pattern, format: ShowFormat, style: ReturnType<typeof makeStyle>): string {
  if (format === "json") return `${JSON.stringify(pattern, null, 2)}\n`;
  if (format === "mermaid") return `${renderMermaid(diagramOf(pattern))}\n`;
  return renderPattern(pattern, style);
}

function renderPattern(p: Pattern, c: ReturnType<typeof makeStyle>): string {
  const e = p.envelope;
  const bullets = (items: readonly string[]) => items.map((s) => `  - ${s}`);
  const out = [
    `${c.bold(p.title)} ${c.dim(`(${p.id}, ${p.kind})`)}`,
    p.summary,
    "",
    c.bold("Problem"),
    `  ${p.problem}`,
    "",
    ...(p.embodies.length > 0 ? [`${c.bold("Embodies")}: ${p.embodies.join(", ")}`, ""] : []),
    c.bold("Services"),
    ...formatTable(p.services.map((s) => [s.name, c.dim(s.role)])),
    "",
    c.bold("Diagram"),
    ...renderAsciiDiagram(diagramOf(p)).split("\n").map((l) => `  ${l}`),
    "",
    c.bold("Why it works"),
    ...bullets(p.whyItWorks),
    "",
    c.bold("Trade-offs"),
    ...p.pros.map((s) => `  ${c.green("+")} ${s}`),
    ...p.cons.map((s) => `  ${c.red("-")} ${s}`),
    "",
    c.bold("Envelope (as designed)"),
    ...formatTable([
      ["Availability", `${e.availability}%`],
      ["RPO / RTO", `${e.rpo} / ${e.rto}`],
      ...(e.latencyMs ? [["Typical p99 latency", `${e.latencyMs.typical} ms`]] : []),
      ...(e.concurrentUsers ? [["Concurrent users", `up to ${formatNumber(e.concurrentUsers.max)}`]] : []),
      ...(e.requestsPerSecond ? [["Requests/s", `up to ${formatNumber(e.requestsPerSecond.max)}`]] : []),
      ...(e.eventsPerSecond ? [["Events/s", `up to ${formatNumber(e.eventsPerSecond.max)}`]] : []),
      ...(e.devices ? [["Connected devices", `up to ${formatNumber(e.devices.max)}`]] : []),
      ...(e.regions > 1 ? [["AWS Regions", `${e.regions}`]] : []),
      ...(e.batchVcpus ? [["Batch vCPUs", `up to ${formatNumber(e.batchVcpus.max)}`]] : []),
      ["Compliance", e.compliance.length > 0 ? e.compliance.join(", ") : "none claimed"],
      ...COMPLIANCE_REGIMES.flatMap((regime) => {
        const note = e.complianceNotes[regime];
        return note === undefined ? [] : [[`  ${regime}`, `${e.compliance.includes(regime) ? "with a condition" : "not offered"}: ${note}`]];
      }),
      ["Cost floor", `${formatUsd(e.cost.floorMonthlyUsd)} a month (prices as of ${e.cost.pricesAsOf})`],
      ...e.cost.terms.map((t) => ["  grows", `${describeRate(t)}: ${t.says}`]),
    ]),
  ];
  if (p.pillars) {
    out.push("", c.bold("Well-Architected notes"), ...formatTable(PILLARS.map((k) => [PILLAR_TITLES[k], p.pillars![k]])));
  }
  if (p.risks.length > 0) {
    out.push("", c.bold("Risks"), ...p.risks.flatMap((r) => [`  - ${r.risk}`, c.dim(`    mitigation: ${r.mitigation}`)]));
  }
  return `${out.join("\n")}\n`;
}
