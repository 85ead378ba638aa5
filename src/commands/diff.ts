import { loadCatalog } from "../catalog/load.ts";
import { UserError } from "../errors.ts";
import { FIELDS, getPath, labelOf } from "../requirements/fields.ts";
import { assessDraft, draftOf, type Draft } from "../requirements/resolve.ts";
import { describeValue } from "../requirements/summary.ts";
import { adviseOn, type Advice } from "../scoring/advice.ts";
import { formatUsd } from "../scoring/cost.ts";

export const DIFF_FORMATS = ["text", "md", "json"] as const;

export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** `diff BEFORE AFTER`: how the advice moves between two requirements files or decision records. */
export async function diff(before: string, after: string, options: { format?: string; patterns?: string[] }): Promise<void> {
  const format = options.format ?? "text";
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) throw new UserError(`--format: expected one of ${DIFF_FORMATS.join(", ")}, found ${JSON.stringify(format)}`);
  process.stdout.write(await diffRequirements(before, after, format as DiffFormat, options.patterns ?? []));
}

/**
 * What `diff` prints, for two requirements files or records, or requirements already drafted; each
 * side is named by its source (the file, or the name its draft was given).
 */
export async function diffRequirements(before: string | Draft, after: string | Draft, format: DiffFormat, patterns: readonly string[]): Promise<string> {
  const catalog = await loadCatalog(patterns);
  const [a, b] = [before, after].map((side) => {
    const draft = draftOf(side);
    return { name: draft.source?.file ?? "requirements", advice: adviseOn(catalog, assessDraft(draft), { sensitivity: false }) };
  }) as [{ name: string; advice: Advice }, { name: string; advice: Advice }];
  const result = compare(a.advice, b.advice);
  return format === "json" ? `${JSON.stringify({ schemaVersion: 1, before: a.name, after: b.name, ...result }, null, 2)}\n` : render(result, a.name, b.name, format === "md");
}

type Comparison = ReturnType<typeof compare>;

export function compare(a: Advice, b: Advice) {
  const requirements = FIELDS.flatMap((f) => {
    const x = getPath(a.assessed.basis.statedData, f.path);
    const y = getPath(b.assessed.basis.statedData, f.path);
    return JSON.stringify(x) === JSON.stringify(y) ? [] : [{ on: f.path, label: f.label, before: x ?? null, after: y ?? null, beforeText: x === undefined ? "not stated" : describeValue(f, x), afterText: y === undefined ? "not stated" : describeValue(f, y) }];
  });
  const rankOf = (advice: Advice, id: string) => advice.ranking.findIndex((e) => e.id === id) + 1;
  const ids = [...new Set([...a.ranking.slice(0, 5), ...b.ranking.slice(0, 5)].map((e) => e.id))];
  const ranking = ids
    .map((id) => ({ id, before: rankOf(a, id), after: rankOf(b, id), scoreBefore: a.ranking.find((e) => e.id === id)!.score, scoreAfter: b.ranking.find((e) => e.id === id)!.score }))
    .sort((x, y) => x.after - y.after);
  const ra = a.recommendation;
  const rb = b.recommendation;
  const verdictsA = new Map(a.verdicts.map((v) => [v.on, v.verdict]));
  const verdicts = b.verdicts
    .filter((v) => verdictsA.get(v.on) !== v.verdict)
    .map((v): { on: string; label: string; before: string; after: string } => ({ on: v.on, label: labelOf(v.on), before: verdictsA.get(v.on) ?? "not checked", after: v.verdict }));
  for (const [on, verdict] of verdictsA) if (!b.verdicts.some((v) => v.on === on)) verdicts.push({ on, label: labelOf(on), before: verdict, after: "not checked" });
  return {
    requirements,
    recommendation: {
      before: { primary: ra.primary, complements: ra.complements, fit: ra.fit },
      after: { primary: rb.primary, complements: rb.complements, fit: rb.fit },
      changed: ra.primary !== rb.primary || ra.complements.join() !== rb.complements.join(),
    },
    ranking,
    cost: { before: ra.cost.monthlyUsd, after: rb.cost.monthlyUsd, change: Math.round((rb.cost.monthlyUsd - ra.cost.monthlyUsd) * 100) / 100 },
    verdicts,
  };
}

function render(c: Comparison, before: string, after: string, md: boolean): string {
  const out: string[] = [];
  const h = (text: string) => out.push(md ? `### ${text}` : text, "");
  const design = (r: Comparison["recommendation"]["before"]) => `${r.primary}${r.complements.length > 0 ? ` + ${r.complements.join(" + ")}` : ""} (fit ${r.fit})`;
  out.push(md ? `## aws-patterns diff: \`${before}\` → \`${after}\`` : `aws-patterns diff: ${before} -> ${after}`, "");
  h("Requirements");
  if (c.requirements.length === 0) out.push("No stated requirement changed.");
  if (md && c.requirements.length > 0) out.push("| Requirement | Before | After |", "|---|---|---|");
  for (const r of c.requirements) out.push(md ? `| ${r.label} | ${r.beforeText} | ${r.afterText} |` : `  ${r.label}: ${r.beforeText} -> ${r.afterText}`);
  out.push("");
  h("Recommendation");
  out.push(
    c.recommendation.changed
      ? `${md ? "**Changes**" : "Changes"}: ${design(c.recommendation.before)} -> ${design(c.recommendation.after)}`
      : `Unchanged: ${design(c.recommendation.after)}${c.recommendation.before.fit !== c.recommendation.after.fit ? ` (fit was ${c.recommendation.before.fit})` : ""}`,
    "",
  );
  h("Ranking");
  if (md) out.push("| Entry | Before | After |", "|---|---|---|");
  for (const r of c.ranking) out.push(md ? `| \`${r.id}\` | #${r.before} (${r.scoreBefore}) | #${r.after} (${r.scoreAfter}) |` : `  ${r.id.padEnd(30)} #${r.before} (${r.scoreBefore}) -> #${r.after} (${r.scoreAfter})`);
  out.push("");
  h("Cost");
  const sign = c.cost.change >= 0 ? "+" : "-";
  out.push(`About ${formatUsd(c.cost.before)} -> ${formatUsd(c.cost.after)} a month (${sign}${formatUsd(Math.abs(c.cost.change))}).`, "");
  h("Verdicts that flip");
  if (c.verdicts.length === 0) out.push("None.");
  for (const v of c.verdicts) out.push(`${md ? "- " : "  "}${v.label}: ${v.before} -> ${v.after}`);
  return `${out.join("\n")}\n`;
}
