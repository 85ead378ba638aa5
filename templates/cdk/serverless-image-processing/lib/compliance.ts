import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** cdk-nag rule prefixes of the packs each compliance regime turns on (SOC 2 runs NIST 800-53 rev 5). */
const PACK_PREFIXES: Record<string, string> = { hipaa: "HIPAA.Security", "pci-dss": "PCI.DSS.321", soc2: "NIST.800.53.R5" };

/** Acknowledges one rule in every pack the regimes turn on; outside compliance mode, nothing. */
export function acknowledgeCompliance(construct: IConstruct, compliance: readonly string[], rule: string, reason: string): void {
  const prefixes = new Set(compliance.map((regime) => PACK_PREFIXES[regime]).filter((p) => p !== undefined));
  for (const prefix of prefixes) Validations.of(construct).acknowledge({ id: `${prefix}-${rule}`, reason });
}
