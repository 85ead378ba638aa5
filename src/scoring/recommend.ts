import type { Catalog } from "../catalog/schema.ts";
import type { Assessed } from "../requirements/basis.ts";
import { labelOf } from "../requirements/fields.ts";
import { formatUsd } from "./cost.ts";
import { addedCost } from "./design-cost.ts";
import { checkEnvelope, type Check } from "./criteria.ts";
import { assessFit, type Fit, type FitDetail } from "./fit.ts";
import { appliesTo, missesHard, type Ranking } from "./rank.ts";

export type ComplementReason = { id: string; on: string; says: string };
export type Recommendation = {
  primary: string;
  complements: string[];
  /** why each complement was added: the need it covers */
  because: ComplementReason[];
  /** what a reader should know about the choice: left-out complements, soft misses that still lead, demoted entries */
  notes: string[];
  fit: Fit;
  fitDetail: FitDetail;
};

export const MAX_COMPLEMENTS = 3;

/** Requirements an inline complement's own envelope bounds in the composed design. */
const BOUNDED = ["availability", "rpo", "rto", "latencyMs"];

/**
 * The primary is the best-ranked entry. A complement is an entry whose `fit.complements` need holds
 * on requirements the user stated (or that were derived from them), that the primary does not
 * already meet by its own envelope check for the same requirement (see metAlready), embody or
 * handle, that meets
 * every hard constraint itself, and that fits what the budget leaves. One complement per need,
 * best-ranked first.
 */
export function recommend(catalog: Catalog, ranking: Ranking, assessed: Assessed): Recommendation {
  const { requirements } = assessed;
  const first = ranking[0];
  if (!first) throw new Error("cannot recommend from an empty ranking");
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const primary = byId.get(first.id)!;
  const handled = new Set(primary.fit.handles.filter((need) => appliesTo(need.when, assessed)).map((need) => need.on));
  const checks = new Map(checkEnvelope(primary, requirements, first.cost, assessed.basis).map((c) => [c.on, c]));
  const covered = new Set<string>();
  let spent = first.cost.monthlyUsd;
  const fitDetail = assessFit(catalog, ranking, requirements);
  const result: Recommendation = { primary: primary.id, complements: [], because: [], notes: [], fit: fitDetail.fit, fitDetail };

  for (const entry of ranking.slice(1)) {
    if (result.complements.length >= MAX_COMPLEMENTS) break;
    const candidate = byId.get(entry.id)!;
    if (primary.embodies.includes(candidate.id)) continue;
    const open = candidate.fit.complements.filter(
      (n) => appliesTo(n.when, assessed) && !handled.has(n.on) && !covered.has(n.on) && !metAlready(checks.get(n.on)),
    );
    if (open.length === 0) continue;
    const own = new Map(checkEnvelope(candidate, requirements, entry.cost, assessed.basis).map((c) => [c.on, c]));
    // it must meet the need itself where the catalog can check it
    const needs = open.filter((n) => own.get(n.on)?.met !== false);
    const need = needs[0];
    if (!need) {
      const n = open[0]!;
      result.notes.push(`${candidate.title} (${candidate.id}) is meant for ${labelOf(n.on).toLowerCase()}, but would not meet it either: ${own.get(n.on)!.says()}`);
      continue;
    }
    // an inline complement bounds the composed design: it must not break what the primary meets
    const broken = candidate.fit.composes === "inline" ? [...checks.values()].filter((c) => c.met && BOUNDED.includes(c.on) && own.get(c.on)?.met === false) : [];
    if (broken.length > 0) {
      result.notes.push(
        `${candidate.title} (${candidate.id}) would cover ${labelOf(need.on).toLowerCase()}, but is left out: composed into the design it would lower ${broken.map((c) => labelOf(c.on).toLowerCase()).join(", ")} below the target the primary meets (${broken.map((c) => own.get(c.on)!.says()).join(" ")})`,
      );
      continue;
    }
    if (missesHard(entry)) {
      result.notes.push(
        `${candidate.title} (${candidate.id}) would cover ${labelOf(need.on).toLowerCase()}, but misses a hard constraint itself: ${entry.unmet.filter((u) => u.hard).map((u) => u.says).join(" ")}`,
      );
      continue;
    }
    const extra = addedCost(candidate, requirements).monthlyUsd;
    if (requirements.budgetMonthlyUsd !== null && assessed.basis.stated.has("budgetMonthlyUsd") && spent + extra > requirements.budgetMonthlyUsd) {
      result.notes.push(
        `${candidate.title} (${candidate.id}) would cover ${labelOf(need.on).toLowerCase()}, but adds about ${formatUsd(extra)} a month, beyond what the ${formatUsd(requirements.budgetMonthlyUsd)} budget leaves.`,
      );
      continue;
    }
    spent += extra;
    for (const n of needs) covered.add(n.on);
    result.complements.push(candidate.id);
    result.because.push({ id: candidate.id, on: need.on, says: need.says });
  }
  result.notes.push(...orderNotes(ranking));
  return result;
}

/**
 * The primary already meets this need by its own envelope check. Compliance is the exception: the
 * envelope says the design's services may be run under a regime, while a compliance complement
 * (a HIPAA foundation) brings the controls around them, which no check of the primary measures.
 */
function metAlready(check: Check | undefined): boolean {
  return check !== undefined && check.met && check.hard !== true;
}

/** Where the order is not the order of the scores, or the leader misses what another meets, say so. */
function orderNotes(ranking: Ranking): string[] {
  const first = ranking[0]!;
  const notes: string[] = [];
  const demoted = ranking.filter((e) => missesHard(e) && e.score > first.score && !missesHard(first));
  for (const e of demoted.slice(0, 2))
    notes.push(
      `${e.title} scores higher (${e.score}) but misses a hard constraint (${e.unmet.filter((u) => u.hard).map((u) => labelOf(u.on).toLowerCase()).join(", ")}), so it ranks below every entry that meets them all.`,
    );
  if (first.unmet.length > 0 && !missesHard(first)) {
    const clean = ranking.find((e) => e.unmet.length === 0);
    if (clean)
      notes.push(
        `${first.title} leads although it misses ${first.unmet.map((u) => labelOf(u.on).toLowerCase()).join(", ")}: misses that are not legal or contractual cost points rather than rule an entry out. ${clean.title} meets every stated constraint but scores ${clean.score} against ${first.score}.`,
      );
  }
  return notes;
}
