import type { Catalog } from "../catalog/schema.ts";
import { deriveSettings } from "../render/scaffold-settings.ts";
import type { Assessed } from "../requirements/basis.ts";
import { labelOf } from "../requirements/fields.ts";
import type { Requirements } from "../requirements/schema.ts";
import { formatUsd } from "../scoring/cost.ts";
import { adviseOn } from "../scoring/advice.ts";
import { judge } from "../scoring/verdicts.ts";
import { RULES, type Rule } from "./rules.ts";
import type { Infrastructure, Resource } from "./templates.ts";

/** A decision as recorded in a design document's front matter. */
export type RecordedDecision = { file: string; primary: string; complements: string[]; monthlyUsd?: number; band?: { low: number; high: number } };

/** One finding: a rule on a resource, or a check of the decision against the requirements. */
export type Finding = {
  rule: string;
  requirement: string;
  status: "pass" | "fail" | "unknown";
  says: string;
  resource?: { logicalId: string; type: string; file: string; stack: string };
  fix?: string;
  /** the decision record the finding is about */
  record?: string;
};

/**
 * Does the recorded decision still fit these requirements? Ranks the catalog again and reports a
 * change of primary, complements now needed or no longer needed, the primary's unmet constraints,
 * and a design cost beyond the recorded band or the budget.
 */
export function checkDecision(catalog: Catalog, record: RecordedDecision, assessed: Assessed): Finding[] {
  const advice = adviseOn(catalog, assessed, { sensitivity: false });
  const rec = advice.recommendation;
  const findings: Finding[] = [];
  const at = { record: record.file };
  findings.push(
    rec.primary === record.primary
      ? { rule: "DecisionStillRanksFirst", requirement: "workload", status: "pass", says: `${record.primary} still ranks first (fit ${rec.fit}).`, ...at }
      : { rule: "DecisionStillRanksFirst", requirement: "workload", status: "fail", says: `The requirements now give ${rec.primary} (fit ${rec.fit}), not the recorded ${record.primary}.`, fix: "Re-run aws-patterns advise with these requirements and record the new decision.", ...at },
  );
  for (const id of rec.complements.filter((c) => !record.complements.includes(c)))
    findings.push({ rule: "ComplementsStillMatch", requirement: rec.because.find((b) => b.id === id)?.on ?? "workload", status: "fail", says: `${id} is now needed: ${rec.because.find((b) => b.id === id)?.says ?? ""}`, fix: "Add the complement, or record why not.", ...at });
  for (const id of record.complements.filter((c) => !rec.complements.includes(c)))
    findings.push({ rule: "ComplementsStillMatch", requirement: "workload", status: "fail", says: `${id} is no longer needed by these requirements.`, fix: "Remove the complement, or record why it stays.", ...at });
  // the recorded design as composed: an unmet constraint of the primary that a recorded complement meets is met
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const primary = byId.get(record.primary);
  if (primary === undefined) {
    findings.push({ rule: "RequirementsStillMet", requirement: "workload", status: "fail", says: `The recorded primary ${record.primary} is not in the catalog.`, ...at });
  } else {
    const complements = record.complements.map((id) => byId.get(id)).filter((p): p is NonNullable<typeof p> => p !== undefined);
    for (const v of judge(primary, complements, assessed).filter((row) => row.composed === "unmet"))
      findings.push({ rule: "RequirementsStillMet", requirement: v.on, status: "fail", says: `${labelOf(v.on)}: ${v.reason}`, fix: "Change the design or the requirement.", ...at });
  }
  const cost = rec.cost.monthlyUsd;
  const budget = assessed.basis.stated.has("budgetMonthlyUsd") ? assessed.requirements.budgetMonthlyUsd : null;
  if (record.band !== undefined && (cost > record.band.high || cost < record.band.low))
    findings.push({ rule: "CostWithinRecordedBand", requirement: "budgetMonthlyUsd", status: "fail", says: `The design now costs about ${formatUsd(cost)} a month, outside the recorded band ${formatUsd(record.band.low)}-${formatUsd(record.band.high)}.`, ...at });
  if (budget !== null && cost > budget)
    findings.push({ rule: "CostWithinBudget", requirement: "budgetMonthlyUsd", status: "fail", says: `The design costs about ${formatUsd(cost)} a month, over the ${formatUsd(budget)} budget.`, ...at });
  return findings;
}

/**
 * Does the infrastructure deliver what the requirements ask? Every applicable rule on every resource
 * it reads. `settings` replaces the derived ones (a plain scaffold's, which asks nothing).
 */
export function checkInfrastructure(requirements: Requirements, infrastructure: Infrastructure, rules: readonly Rule[] = RULES, settings = deriveSettings(requirements).settings): Finding[] {
  const all = infrastructure.stacks.flatMap((s) => s.resources);
  const context = { settings, infrastructure, all };
  const findings: Finding[] = [];
  const where = (r: Resource) => ({ resource: { logicalId: r.logicalId, type: r.type, file: r.file, stack: r.stack } });
  for (const rule of rules) {
    if (!rule.appliesWhen(settings)) continue;
    if (rule.checkAll) for (const o of rule.checkAll(context)) findings.push({ rule: rule.id, requirement: rule.requirement, status: o.status, says: o.says, fix: rule.fix, ...(o.resource ? where(o.resource) : {}) });
    if (rule.check) for (const r of all.filter((x) => rule.types.includes(x.type))) {
      const o = rule.check(r, context);
      findings.push({ rule: rule.id, requirement: rule.requirement, status: o.status, says: o.says, fix: rule.fix, ...where(r) });
    }
  }
  return findings;
}
