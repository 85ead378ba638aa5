import { readFileSync } from "node:fs";
import { labelOf } from "../requirements/fields.ts";
import { RULES } from "./rules.ts";
import type { Finding } from "./check.ts";

const MARK = { pass: "ok  ", fail: "FAIL", unknown: "??  " } as const;

/** For people: failures first, then what could not be checked, then a count of what passed. */
export function renderVerifyText(findings: readonly Finding[], strict: boolean): string {
  const out: string[] = [];
  for (const f of [...findings.filter((f) => f.status === "fail"), ...findings.filter((f) => f.status === "unknown")]) {
    const where = f.resource ? ` ${f.resource.stack}/${f.resource.logicalId} (${f.resource.type})` : f.record ? ` ${f.record}` : "";
    out.push(`${MARK[f.status]} ${f.rule}${where}`, `     ${labelOf(f.requirement)}: ${f.says}`);
    if (f.status === "fail" && f.fix) out.push(`     fix: ${f.fix}`);
  }
  out.push("", summarizeVerdict(findings, strict));
  return `${out.join("\n")}\n`;
}

/** The last line of the text report: whether the decision holds, and the counts. */
export function summarizeVerdict(findings: readonly Finding[], strict: boolean): string {
  const count = (status: Finding["status"]) => findings.filter((f) => f.status === status).length;
  const [failed, unknown, passed] = [count("fail"), count("unknown"), count("pass")];
  const holds = failed === 0 && (!strict || unknown === 0);
  return `${holds ? "The decision holds" : "The decision does not hold"}: ${failed} failed, ${unknown} not checked${strict && unknown > 0 ? " (failures under --strict)" : ""}, ${passed} passed.`;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one result per failed check (and per unchecked one under
 * --strict), with the rule, the requirement, and the resource's logical id and template file as
 * the location (the line where the template names it).
 */
export function renderSarif(findings: readonly Finding[], version: string, strict: boolean) {
  const reported = findings.filter((f) => f.status === "fail" || (strict && f.status === "unknown"));
  const ruleIds = [...new Set([...RULES.map((r) => r.id), ...findings.map((f) => f.rule)])];
  const byId = new Map(RULES.map((r) => [r.id, r]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "aws-patterns",
            version,
            informationUri: "https://github.com/aws-patterns/aws-patterns",
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: id.replace(/([a-z])([A-Z])/g, "$1 $2") },
              ...(byId.get(id) ? { help: { text: byId.get(id)!.fix }, properties: { requirement: byId.get(id)!.requirement } } : {}),
            })),
          },
        },
        results: reported.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: f.status === "fail" ? "error" : "warning",
          message: { text: `${labelOf(f.requirement)}: ${f.says}${f.fix ? ` Fix: ${f.fix}` : ""}` },
          locations: [location(f)],
          properties: { requirement: f.requirement, status: f.status },
        })),
      },
    ],
  };
}

function location(f: Finding) {
  const file = f.resource?.file ?? f.record ?? "requirements";
  const line = f.resource ? lineOf(f.resource.file, f.resource.logicalId) : 1;
  return {
    physicalLocation: { artifactLocation: { uri: file.replace(/\\/g, "/") }, region: { startLine: line } },
    ...(f.resource ? { logicalLocations: [{ name: f.resource.logicalId, fullyQualifiedName: `${f.resource.stack}/${f.resource.logicalId}`, kind: "resource" }] } : {}),
  };
}

/** The line where a template first names a logical id as a key; 1 when it cannot be found. */
function lineOf(file: string, logicalId: string): number {
  try {
    const lines = readFileSync(file, "utf8").split("\n");
    const i = lines.findIndex((l) => l.includes(`"${logicalId}":`) || new RegExp(`^\\s*${logicalId}:`).test(l));
    return i >= 0 ? i + 1 : 1;
  } catch {
    return 1;
  }
}
