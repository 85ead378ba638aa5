import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** cdk-nag rule prefixes of the packs each compliance regime turns on (SOC 2 runs NIST 800-53 rev 5). */
const PACK_PREFIXES: Record<string, string> = { hipaa: "HIPAA.Security", "pci-dss": "PCI.DSS.321", soc2: "NIST.800.53.R5" };

/**
 * The rule ids of one compliance rule in every pack the regimes turn on (none outside compliance mode).
 * `inPacks` names the regimes whose pack has the rule, when not all three do (PCI DSS has no LambdaDLQ).
 */
export function complianceRuleIds(compliance: readonly string[], rule: string, inPacks?: readonly string[]): string[] {
  const regimes = compliance.filter((regime) => inPacks === undefined || inPacks.includes(regime));
  return [...new Set(regimes.map((regime) => PACK_PREFIXES[regime]).filter((p): p is string => p !== undefined))].map((prefix) => `${prefix}-${rule}`);
}

/** Acknowledges one rule in every pack the regimes turn on (and that has the rule); outside compliance mode, nothing. */
export function acknowledgeCompliance(construct: IConstruct, compliance: readonly string[], rule: string, reason: string, inPacks?: readonly string[]): void {
  for (const id of complianceRuleIds(compliance, rule, inPacks)) Validations.of(construct).acknowledge({ id, reason });
}

/** Regimes whose packs check a Lambda function's dead-letter queue and reserved concurrency (PCI DSS 3.2.1 does not). */
export const DLQ_AND_CONCURRENCY_PACKS = ["hipaa", "soc2"] as const;
