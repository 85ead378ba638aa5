import { formatNumber } from "../format-number.ts";
import type { Catalog, Pattern } from "../catalog/schema.ts";
import { PILLAR_TITLES, PILLARS } from "../catalog/values.ts";
import { FIELD_BY_PATH, getPath, labelOf } from "../requirements/fields.ts";
import { listAssumptions } from "../requirements/basis.ts";
import { describeValue, knownRows as knownSummaryRows } from "../requirements/summary.ts";
import { COST_BAND, formatUsd } from "../scoring/cost.ts";
import { stringify } from "yaml";
import { RECORD_KEY } from "../requirements/record.ts";
import { nextCommands } from "../requirements/next-steps.ts";
import { deriveSettings } from "./scaffold-settings.ts";
import { RULES } from "../verify/rules.ts";
import { componentsOf, composeDiagram, renderAsciiDiagram, renderMermaid } from "./diagram.ts";
import { createRenderer } from "./handlebars.ts";
import type { Reason } from "../scoring/rank.ts";
import type { Advice } from "./report.ts";
import type { TemplateFiles } from "./templates.ts";

export type DocOptions = {
  date: string;
  generator: string;
  next?: readonly string[];
  recordPath?: string;
  /** the architecture picture written beside the document (its file name), shown above the Mermaid diagram */
  picture?: string;
};

/** How many ranked entries the "Considered options" section lists. */
const CONSIDERED = 5;
/** How many reasons back the decision outcome. */
const DECIDING_REASONS = 5;


/**
 * Everything the design document says, as data: pure, from the advice and the catalog. The
 * Markdown itself is written by the Handlebars templates in templates/design-doc/.
 */
export function buildDesignDoc(advice: Advice, catalog: Catalog, options: DocOptions) {
  const { requirements: r, ranking, recommendation: rec } = advice;
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const primary = byId.get(rec.primary)!;
  const primaryEntry = ranking.find((e) => e.id === rec.primary)!;
  const complements = rec.complements.map((id) => byId.get(id)!);
  const runnerUp = ranking.find((e) => e.id !== rec.primary && !rec.complements.includes(e.id));
  const diagram = composeDiagram(primary, complements);
  const cost = rec.cost;
  const budget = assessedBudget(advice);

  return {
    date: options.date,
    generator: options.generator,
    name: r.name,
    title: `Use ${primary.title}${complements.length > 0 ? ` with ${listOf(complements.map((c) => c.title))}` : ""} for ${r.name}`,
    workloads: listOf(r.workload),
    primary: describe(primary),
    complements: complements.map((c) => {
      const because = rec.because.find((b) => b.id === c.id)!;
      return { ...describe(c), need: labelOf(because.on).toLowerCase(), says: because.says };
    }),
    notes: rec.notes,
    fit: rec.fit,
    fitSays: rec.fitDetail.says,
    fitFirst: rec.fit === "weak" || rec.fit === "none",
    sensitivity: advice.recommendation.sensitivity,
    drivers: knownRows(advice),
    assumed: assumedList(advice),
    options: considered(ranking, [rec.primary, ...rec.complements]).map(({ entry: e, rank }) => ({
      rank,
      id: e.id,
      title: e.title,
      kind: e.kind,
      score: e.score,
      summary: byId.get(e.id)!.summary,
      chosen: e.id === rec.primary ? "primary" : rec.complements.includes(e.id) ? "complement" : "",
      unmet: e.unmet.map((u) => labelOf(u.on)).join(", "),
    })),
    totalOptions: ranking.length,
    score: primaryEntry.score,
    deciding: primaryEntry.reasons.filter((x) => x.points > 0).sort((a, b) => b.points - a.points).slice(0, DECIDING_REASONS),
    primaryUnmet: primaryEntry.unmet.map((u) => ({ requirement: labelOf(u.on), says: u.says })),
    good: [...primary.pros, ...complements.flatMap((c) => c.pros.slice(0, 1).map((p) => `${p} (${c.title})`))],
    bad: [...primary.cons, ...complements.flatMap((c) => c.cons.slice(0, 1).map((p) => `${p} (${c.title})`))],
    verdicts: advice.verdicts,
    confirmation: confirmationChecks(advice),
    verifyCommand: `npx cdk synth && aws-patterns verify ${options.recordPath ?? "docs/adr/<this record>.md"} --assembly cdk.out --format sarif > verify.sarif`,
    picture: options.picture === undefined ? "" : linkTarget(options.picture),
    mermaid: renderMermaid(diagram, primary.id),
    ascii: renderAsciiDiagram(diagram),
    components: componentsOf(diagram, [primary, ...complements]),
    pillars: primary.pillars ? PILLARS.map((k) => ({ pillar: PILLAR_TITLES[k], note: primary.pillars![k] })) : [],
    risks: [...primary.risks, ...complements.flatMap((c) => c.risks.slice(0, 1))],
    runnerUp: runnerUp && {
      id: runnerUp.id,
      title: runnerUp.title,
      score: runnerUp.score,
      gap: primaryEntry.score - runnerUp.score,
      against: runnerUp.reasons.filter((x) => x.points < 0).sort((a, b) => a.points - b.points).slice(0, 4),
      behind: behindOn(primaryEntry.reasons, runnerUp.reasons).slice(0, 4),
      unmet: runnerUp.unmet.map((u) => ({ requirement: labelOf(u.on), says: u.says })),
      cost: formatUsd(runnerUp.cost.monthlyUsd),
    },
    cost: {
      low: formatUsd(cost.band.low),
      estimate: formatUsd(cost.monthlyUsd),
      high: formatUsd(cost.band.high),
      bandLow: Math.round(COST_BAND.low * 100),
      bandHigh: Math.round(COST_BAND.high * 100),
      lines: cost.lines.map((l) => ({
        owner: byId.get(l.entry)!.title,
        item: l.item,
        basis: l.quantity === undefined ? l.says : `${formatNumber(Math.round(l.quantity))}: ${l.says}`,
        usd: formatUsd(l.usd),
      })),
      notes: [primary, ...complements].map((p) => p.envelope.cost.notes).filter((x): x is string => x !== undefined),
      pricesAsOf: cost.pricesAsOf,
      budget: budget === null ? undefined : formatUsd(budget),
      budgetVerdict:
        budget === null
          ? undefined
          : cost.band.high <= budget
            ? "The whole band fits within the budget."
            : cost.monthlyUsd <= budget
              ? "The estimate fits the budget, but the top of the band exceeds it: watch the cost drivers in the table below."
              : cost.band.low <= budget
                ? "The estimate exceeds the budget; only the bottom of the band fits."
                : "Even the bottom of the band exceeds the budget: revisit the budget or the requirements.",
    },
    next: options.next ?? nextCommands({ stated: advice.assessed.basis.statedData }, r.name),
    record: recordOf(advice, options),
    complementTitles: complements.map((c) => c.title),
    showCommand: `aws-patterns show ${primary.id}`,
  };
}

export type DesignDoc = ReturnType<typeof buildDesignDoc>;

/**
 * The front matter's machine-readable record: what was stated (read back by `advise -r doc.md`),
 * the normalized requirements, the decision and its cost.
 */
function recordOf(advice: Advice, options: DocOptions): string {
  const rec = advice.recommendation;
  return stringify(
    {
      [RECORD_KEY]: {
        schemaVersion: 1,
        generator: options.generator,
        primary: rec.primary,
        complements: rec.complements,
        fit: rec.fit,
        monthlyUsd: rec.cost.monthlyUsd,
        band: rec.cost.band,
        stated: advice.assessed.basis.statedData,
        requirements: advice.requirements,
      },
    },
    { lineWidth: 0 },
  ).trimEnd();
}

/** The verify rules that apply to these requirements, with the requirement each protects. */
function confirmationChecks(advice: Advice) {
  const { settings } = deriveSettings(advice.requirements);
  return [
    { id: "DecisionStillRanksFirst", requirement: "the recorded decision" },
    ...RULES.filter((r) => r.appliesWhen(settings)).map((r) => ({ id: r.id, requirement: labelOf(r.requirement) })),
  ];
}

/** Every entry in the recommendation, then the best alternatives, up to CONSIDERED in all, in rank order. */
function considered(ranking: Advice["ranking"], chosen: readonly string[]) {
  const ranked = ranking.map((entry, i) => ({ entry, rank: i + 1 }));
  const picked = ranked.filter((r) => chosen.includes(r.entry.id));
  const others = ranked.filter((r) => !chosen.includes(r.entry.id)).slice(0, Math.max(0, CONSIDERED - picked.length));
  return [...picked, ...others].sort((a, b) => a.rank - b.rank);
}

/** The budget, when the user stated one. */
function assessedBudget(advice: Advice): number | null {
  return advice.assessed.basis.stated.has("budgetMonthlyUsd") ? advice.requirements.budgetMonthlyUsd : null;
}

/** The requirements the advice stands on: stated ones, then derived ones with how. */
function knownRows(advice: Advice) {
  return knownSummaryRows(advice.requirements, advice.assessed.basis).map((row) => ({ label: row.label, value: row.value, basis: row.derived === undefined ? "stated" : `derived: ${row.derived}` }));
}

/** Defaults that matter for these workloads, as one line: "Team size 3 engineers, RPO 1d". */
function assumedList(advice: Advice): string {
  const workload = advice.requirements.workload;
  // what the primary's cost lines are priced on, and egress's own inputs, are named even when no question asks for them
  const primaryCost = advice.ranking.find((e) => e.id === advice.recommendation.primary)!.cost;
  const costDrivers = new Set(primaryCost.lines.map((l) => l.per));
  if (costDrivers.has("traffic.monthlyEgressGb")) costDrivers.add("traffic.responseKb");
  return listAssumptions(advice.assessed)
    .filter((a) => a.basis === "default")
    .map((a) => FIELD_BY_PATH.get(a.on)!)
    .filter((f) => f.path !== "workload" && (costDrivers.has(f.path) || f.askWhen === undefined || f.askWhen({ workload, residency: advice.requirements.data.residency })))
    .map((f) => {
      const value = getPath(advice.requirements, f.path);
      return typeof value === "number" ? `${f.label} ${formatNumber(value)}${f.unit ? ` ${f.unit}` : ""}` : `${f.label} ${describeValue(f, value)}`;
    })
    .join(", ");
}

/** Requirements on which the runner-up earned fewer points than the primary, largest gap first. */
function behindOn(primary: readonly Reason[], other: readonly Reason[]) {
  const sum = (reasons: readonly Reason[], on: string) => reasons.filter((r) => r.on === on).reduce((s, r) => s + r.points, 0);
  return [...new Set(primary.map((r) => r.on))]
    .filter((on) => on !== "score")
    .map((on) => ({ on, requirement: labelOf(on), gap: sum(primary, on) - sum(other, on), primary: sum(primary, on), other: sum(other, on), says: primary.filter((r) => r.on === on).map((r) => r.says).join(" ") }))
    .filter((x) => x.gap > 0)
    .sort((a, b) => b.gap - a.gap);
}

function describe(p: Pattern) {
  return { id: p.id, title: p.title, kind: p.kind, summary: p.summary, problem: p.problem, whyItWorks: p.whyItWorks, embodies: p.embodies };
}

/** A file name as a Markdown link target: every character a link could stumble on, percent-encoded. */
function linkTarget(file: string): string {
  return encodeURIComponent(file).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** "a", "a and b", "a, b and c" */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Renders the document with templates/design-doc/adr.md.hbs (partials: the folder's other files). */
export function renderDesignDoc(doc: DesignDoc, templates: TemplateFiles): string {
  const main = templates.get("adr.md.hbs");
  if (main === undefined) throw new Error("templates/design-doc/adr.md.hbs is missing");
  return createRenderer()(main, doc, "design-doc/adr.md.hbs");
}
