import type { ChalkInstance } from "chalk";
import type { Catalog } from "../catalog/schema.ts";
import { labelOf } from "../requirements/fields.ts";
import { formatUsd } from "../scoring/cost.ts";
import type { RankedEntry, Reason } from "../scoring/rank.ts";
import type { Advice } from "../scoring/advice.ts";
import { knownRows } from "../requirements/summary.ts";
import { formatTable } from "./style.ts";

export type { Advice } from "../scoring/advice.ts";

/** How many reasons are shown for each of the leading entries. */
const TOP_REASONS = 6;
/** How many entries get their reasons spelled out. */
const EXPLAINED = 3;

/** The terminal report of `advise`: requirements, ranked table, recommendation, runners-up. */
export function renderReport(advice: Advice, catalog: Catalog, c: ChalkInstance, next: readonly string[] = [], width = 80, verbose = false): string {
  const { requirements, ranking, recommendation } = advice;
  const titleOf = (id: string) => catalog.find((p) => p.id === id)?.title ?? id;
  const out: string[] = [];
  out.push(c.bold(`aws-patterns advice for ${requirements.name}`), "");
  const { fit, fitDetail, sensitivity } = recommendation;
  // a weak or missing fit is the first thing a reader must know
  if (fit === "weak" || fit === "none") out.push(c.yellow.bold(`Fit: ${fit}. `) + c.yellow(fitDetail.says), "");

  const { basis } = advice.assessed;
  out.push(c.bold("Requirements"), ...formatTable(knownRows(requirements, basis).map((row) => [row.label, row.value, row.derived === undefined ? "" : c.dim("derived")])), "");
  for (const d of basis.derived.values()) out.push(c.dim(`  Derived ${labelOf(d.on).toLowerCase()}: ${d.says}`));
  if (basis.derived.size > 0) out.push("");

  out.push(c.bold("Ranking"), c.dim("  Score 0-100: the sum of an entry's reasons. Fit (strong, fair, weak, none) says how far to trust the leader."));
  // entries with nothing to say fold into one line: no points, and nothing chosen
  const chosen = new Set([recommendation.primary, ...recommendation.complements]);
  const shown = ranking.filter((e, i) => i < 5 || chosen.has(e.id) || e.score > 0);
  const folded = ranking.filter((e) => !shown.includes(e));
  const rows = shown.map((e) => [
    String(ranking.indexOf(e) + 1).padStart(2),
    scoreCell(e.score, c),
    e.id === recommendation.primary ? c.green(e.id) : recommendation.complements.includes(e.id) ? c.cyan(e.id) : e.id,
    formatUsd(e.cost.monthlyUsd),
    e.unmet.length === 0 ? c.dim("-") : c.red(e.unmet.map((u) => labelOf(u.on)).join(", ")),
  ]);
  out.push(...formatTable([["#", "Score", "Entry", "Est./month", "Unmet"].map((h) => c.dim(h)), ...rows]));
  if (folded.length > 0) out.push(c.dim(`  ... and ${folded.length} more with no points for these requirements: ${folded.map((e) => e.id).join(", ")}`));
  out.push("");

  const primary = ranking.find((e) => e.id === recommendation.primary)!;
  out.push(c.bold("Recommendation"));
  out.push(`  Primary: ${c.green.bold(primary.title)} (${primary.id}), score ${primary.score}`);
  out.push(`  Fit: ${c.bold(fit)} (${Math.round(fitDetail.share * 100)}% of the achievable points${fitDetail.runnerUp ? `, ${fitDetail.margin} ahead of ${fitDetail.runnerUp}` : ""}). ${fitDetail.says}`);
  if (recommendation.because.length === 0) out.push(`  Complements: none needed`);
  for (const b of recommendation.because) out.push(`  + ${c.cyan(titleOf(b.id))} (${b.id}) for ${labelOf(b.on).toLowerCase()}: ${b.says}`);
  for (const note of recommendation.notes) out.push(c.yellow(`  ! ${note}`));
  if (sensitivity.length > 0) {
    out.push("", c.bold("What would change it"));
    for (const change of sensitivity) out.push(`  ${change.says}`);
  }
  out.push("");

  // --verbose: every reason of every entry, as the JSON has them
  ranking.slice(0, verbose ? ranking.length : EXPLAINED).forEach((entry, i) => {
    out.push(c.bold(`${i + 1}. ${entry.title}`) + c.dim(` (${entry.id}, ${entry.score}/100)`));
    out.push(...explain(entry, c, verbose), "");
  });

  out.push(c.dim(`Details: aws-patterns show ${primary.id}    Machine-readable: add --format json    Every reason: --format json`), "");
  const cost = recommendation.cost;
  const parts = recommendation.complements.length > 0 ? ` (${[primary.id, ...recommendation.complements].map((id) => `${id} ${formatUsd(cost.lines.filter((l) => l.entry === id).reduce((sum, l) => sum + l.usd, 0))}`).join(" + ")})` : "";
  out.push(c.bold(`Design: ${[primary.title, ...recommendation.complements.map(titleOf)].join(" + ")}, about ${formatUsd(cost.monthlyUsd)} a month${parts}, band ${formatUsd(cost.band.low)}-${formatUsd(cost.band.high)}`));
  if (next.length > 0) out.push("Next:", ...next.flatMap((command) => shellLines(command, width)));
  return fitWidth(out, width).join("\n") + "\n";
}

function explain(entry: RankedEntry, c: ChalkInstance, verbose = false): string[] {
  const top = [...entry.reasons].filter((r) => r.points !== 0).sort(byWeight).slice(0, verbose ? undefined : TOP_REASONS);
  const lines = formatTable(top.map((r) => [signed(r.points, c), c.dim(labelOf(r.on)), r.says]), "    ");
  const hidden = entry.reasons.filter((r) => r.points !== 0).length - top.length;
  if (hidden > 0) lines.push(c.dim(`    ... ${hidden} more reason${hidden === 1 ? "" : "s"} with --verbose`));
  if (entry.unmet.length === 0) lines.push(c.green("    Meets every stated constraint."));
  for (const u of entry.unmet) lines.push(c.red(`    Unmet ${labelOf(u.on).toLowerCase()}: ${u.says}`));
  return lines;
}

/** Largest effect first; ties in the order the reasons were produced. */
function byWeight(a: Reason, b: Reason): number {
  return Math.abs(b.points) - Math.abs(a.points);
}

function signed(points: number, c: ChalkInstance): string {
  const text = (points > 0 ? `+${points}` : String(points)).padStart(4);
  return points > 0 ? c.green(text) : c.red(text);
}

function scoreCell(score: number, c: ChalkInstance): string {
  const text = String(score).padStart(3);
  return score >= 70 ? c.green(text) : score >= 40 ? c.yellow(text) : c.dim(text);
}

/** Printed width of a line: without colour codes. */
function visible(line: string): number {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/**
 * Every line within the terminal's width: a longer one wraps at spaces, its continuation indented
 * under its first word, so nothing is cut away. Colour codes are not counted.
 */
export function fitWidth(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const text of lines.flatMap((l) => l.split("\n"))) {
    if (visible(text) <= width) {
      out.push(text);
      continue;
    }
    const indent = " ".repeat(Math.min(width / 2, (/^\s*(?:[-+!*]\s+|\S+\s{2,})?/.exec(text.replace(/\u001b\[[0-9;]*m/g, ""))?.[0].length ?? 0)));
    let line = "";
    for (const token of text.match(/\s*\S+/g) ?? []) {
      if (line.trim() !== "" && visible(line) + visible(token) > width) {
        out.push(line);
        line = indent + token.trimStart();
      } else line += token;
      while (visible(line) > width) {
        // one word longer than the line: break it
        out.push(line.slice(0, width));
        line = indent + line.slice(width);
      }
    }
    if (line.trim() !== "") out.push(line);
  }
  return out;
}

/** A command within the width, continued with ` \\` as a shell reads it, so it still runs when pasted. */
export function shellLines(command: string, width: number): string[] {
  const lines: string[] = [];
  let line = "  ";
  for (const word of command.split(" ")) {
    if (line.trim() !== "" && line.length + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = `    ${word}`;
    } else line = line.trim() === "" ? `  ${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}
