import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../catalog/load.ts";
import { CheckFailed, UserError } from "../errors.ts";
import type { Assessed } from "../requirements/basis.ts";
import { assessRequirements, draftOf, draftRequirements, type Draft } from "../requirements/draft.ts";
import { assessDraft } from "../requirements/resolve.ts";
import { readRecord, RECORD_KEY } from "../requirements/record.ts";
import { checkDecision, checkInfrastructure, type Finding, type RecordedDecision } from "../verify/check.ts";
import { renderSarif, renderVerifyText } from "../verify/render.ts";
import { isFolder, readAssembly, readTemplates, type Infrastructure } from "../verify/templates.ts";

export const VERIFY_FORMATS = ["text", "json", "sarif"] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];
export type VerifyOptions = { assembly?: string; template?: string[]; requirements?: string; format?: string; strict?: boolean; patterns?: string[] };

/**
 * `verify [ADR...]`: does each recorded decision still fit its requirements (or --requirements),
 * and does the infrastructure (--assembly cdk.out or --template files) still deliver them?
 * Exit 0 when it holds, 3 when it does not (with --strict, also when something could not be checked).
 */
export async function verify(records: readonly string[], options: VerifyOptions, generator: string): Promise<void> {
  const format = options.format ?? "text";
  if (!(VERIFY_FORMATS as readonly string[]).includes(format)) throw new UserError(`--format: expected one of ${VERIFY_FORMATS.join(", ")}, found ${JSON.stringify(format)}`);
  const verdict = await checkRecords(records, options);
  process.stdout.write(renderVerdict(verdict, format as VerifyFormat, generator));
  if (verdict.failed > 0) throw new CheckFailed(notHolding(verdict.failed));
}

/** What `verify` found: every finding, and how many count as failed. */
export type Verdict = { findings: Finding[]; failed: number; strict: boolean };

/**
 * The checks of `verify`, printing nothing: records (files or folders) against their own
 * requirements or the given ones (a file, or requirements already drafted), and the
 * infrastructure of an assembly or templates, when given.
 */
export async function checkRecords(
  records: readonly string[],
  options: { assembly?: string; template?: string[]; requirements?: string | Draft; strict?: boolean; patterns?: string[] },
): Promise<Verdict> {
  if (options.assembly !== undefined && options.template !== undefined) throw new UserError("give --assembly or --template, not both");
  const decisions = records.flatMap(expandRecords);
  if (decisions.length === 0 && options.requirements === undefined) throw new UserError("nothing to verify: give one or more design documents (or a folder of them), or --requirements FILE");
  const catalog = await loadCatalog(options.patterns ?? []);
  const given = options.requirements === undefined ? undefined : await assessRequirements(draftOf(options.requirements));
  const infrastructure: Infrastructure | undefined =
    options.assembly !== undefined ? readAssembly(options.assembly) : options.template !== undefined ? readTemplates(options.template) : undefined;

  const findings: Finding[] = [];
  if (decisions.length === 0 && given && infrastructure) findings.push(...checkInfrastructure(given.requirements, infrastructure));
  for (const decision of decisions) {
    const assessed = given ?? decision.assessed;
    findings.push(...checkDecision(catalog, decision.record, assessed));
    if (infrastructure) findings.push(...checkInfrastructure(assessed.requirements, infrastructure).map((f) => ({ ...f, record: decision.record.file })));
  }
  const strict = options.strict === true;
  return { findings, failed: findings.filter((f) => f.status === "fail" || (strict && f.status === "unknown")).length, strict };
}

/** What `verify` prints in a format. */
export function renderVerdict({ findings, failed, strict }: Verdict, format: VerifyFormat, generator: string): string {
  if (format === "json") return `${JSON.stringify({ schemaVersion: 1, holds: failed === 0, strict, findings }, null, 2)}\n`;
  if (format === "sarif") return `${JSON.stringify(renderSarif(findings, generator, strict), null, 2)}\n`;
  return renderVerifyText(findings, strict);
}

/** Why the decision does not hold, as `verify` says it when it exits 3. */
export function notHolding(failed: number): string {
  return `the decision does not hold: ${failed} check${failed === 1 ? "" : "s"} failed`;
}

type Decision = { record: RecordedDecision; assessed: Assessed };

/** A design document, or every decision record in force in a folder (superseded ones skipped). */
function expandRecords(path: string): Decision[] {
  if (!isFolder(path)) return [readDecision(path, true)!];
  return readdirSync(path)
    .filter((f) => /\.md$/i.test(f))
    .sort()
    .map((f) => readDecision(join(path, f), false))
    .filter((d): d is Decision => d !== undefined);
}

function readDecision(file: string, required: boolean): Decision | undefined {
  let record;
  try {
    record = readRecord(file);
  } catch (error) {
    if (!required && error instanceof UserError) return undefined;
    throw error;
  }
  const data = record.data[RECORD_KEY] as { primary?: unknown; complements?: unknown; monthlyUsd?: unknown; band?: { low: number; high: number }; stated?: unknown } | undefined;
  if (data === undefined) {
    if (!required) return undefined;
    throw new UserError(`${file}: its front matter has no \`${RECORD_KEY}\` record; expected a design document written by aws-patterns advise`);
  }
  const status = String(record.data.status ?? "");
  if (!required && status.startsWith("superseded")) return undefined;
  if (typeof data.primary !== "string") throw new UserError(`${file} › ${RECORD_KEY}.primary (line ${record.lineOf([RECORD_KEY, "primary"]) ?? "?"}): expected the recorded primary id`);
  return {
    record: {
      file,
      primary: data.primary,
      complements: Array.isArray(data.complements) ? data.complements.map(String) : [],
      ...(typeof data.monthlyUsd === "number" ? { monthlyUsd: data.monthlyUsd } : {}),
      ...(data.band ? { band: data.band } : {}),
    },
    assessed: assessDraft(draftRequirements(file, {})),
  };
}
