import type { NagPack } from "../catalog/schema.ts";
import { formatSeconds, toSeconds } from "../requirements/duration.ts";
import type { ComplianceRegime, Requirements } from "../requirements/schema.ts";
import { accountLimit, quotaIncrease } from "../verify/account-limits.ts";

/**
 * What a set of requirements asks of a generated CDK app. Every field is optional: an unset value
 * keeps the pattern's own default (a plain `aws-patterns scaffold` sets none). A set value is a
 * floor the template must honour where it has the resource the value concerns.
 */
export type AppSettings = {
  multiAz?: boolean;
  backupRetentionDays?: number;
  pointInTimeRecovery?: boolean;
  replication?: { primaryRegion: string; replicaRegion: string };
  capacity?: { min: number; max: number };
  reservedConcurrency?: number;
  streamCapacity?: number | "on-demand";
  compliance: ComplianceRegime[];
};

/** One setting and the requirement that caused it, listed in the generated README. */
export type SettingReason = { setting: string; value: string; because: string };

export type DerivedSettings = {
  settings: AppSettings;
  reasons: SettingReason[];
  /** cdk-nag packs the compliance regimes ask for, besides AwsSolutionsChecks */
  nagPacks: NagPack[];
  /** notes for the README that are not settings (a pack standing in for a regime, say) */
  notes: string[];
};

/** Availability at or above which the data tier spans Availability Zones. */
export const MULTI_AZ_FROM = 99.95;
/** An RPO below this needs continuous copies in a second Region; backups alone lose more. */
export const REPLICATE_BELOW_SECONDS = 3600;
/** Kinesis Data Streams: records per second one shard accepts. */
export const RECORDS_PER_SHARD = 1000;
/** Provisioned shards above this are better served by on-demand mode (and its quotas). */
export const MAX_PROVISIONED_SHARDS = 500;
/** Concurrent users one instance or task is assumed to serve; measure and adjust. */
export const USERS_PER_INSTANCE = 250;
/** Headroom multiplied into capacity estimates. */
export const HEADROOM = 1.2;
export const DEFAULT_PRIMARY_REGION = "us-east-1";
export const DEFAULT_REPLICA_REGION = "us-west-2";

/** Compliance regimes with a cdk-nag pack; the note says when a pack only stands in for the regime. */
export const COMPLIANCE_PACKS: Record<ComplianceRegime, { pack?: NagPack; note?: string }> = {
  hipaa: { pack: "HIPAASecurityChecks" },
  "pci-dss": { pack: "PCIDSS321Checks" },
  soc2: {
    pack: "NIST80053R5Checks",
    note: "SOC 2 has no cdk-nag rule pack. NIST 800-53 rev 5 (`NIST80053R5Checks`) runs in its place as the nearest available set of controls; passing it is evidence for a SOC 2 audit, not a SOC 2 report.",
  },
  gdpr: {
    note: "GDPR has no cdk-nag rule pack. The AwsSolutions checks cover encryption and access logging; data residency (pick an EU Region), retention and subject-access processes are yours to add.",
  },
};

/**
 * The settings, nag packs and README notes a set of requirements implies, each with its reason.
 * `reservedFunctions`: how many functions of the app reserve `reservedConcurrency` each (the
 * entry's `scaffold.reservedFunctions`), so their sum stays within the account's default quota.
 */
export function deriveSettings(req: Requirements, options: { reservedFunctions?: number } = {}): DerivedSettings {
  const reasons: SettingReason[] = [];
  const settings: AppSettings = { compliance: [...req.compliance] };
  const set = (setting: string, value: string, because: string) => reasons.push({ setting, value, because });

  if (req.availability >= MULTI_AZ_FROM) {
    settings.multiAz = true;
    set("multiAz", "true", `availability ${req.availability}% is at least ${MULTI_AZ_FROM}%: the data tier runs in more than one Availability Zone`);
  }

  const rpo = toSeconds(req.rpo);
  const rto = toSeconds(req.rto);
  settings.pointInTimeRecovery = rpo <= 86400;
  set(
    "pointInTimeRecovery",
    String(settings.pointInTimeRecovery),
    settings.pointInTimeRecovery
      ? `rpo ${req.rpo}: continuous backups restore to any second of the retention window`
      : `rpo ${req.rpo}: the daily backups meet it, so continuous backups stay off`,
  );
  const retention = req.compliance.length > 0 ? 35 : rpo <= 86400 || rto <= 86400 ? 14 : 7;
  settings.backupRetentionDays = retention;
  set(
    "backupRetentionDays",
    String(retention),
    req.compliance.length > 0
      ? `compliance ${req.compliance.join(", ")}: keep the longest automated backup window (35 days)`
      : `rpo ${req.rpo} / rto ${req.rto}: two weeks of restore points`,
  );
  if (rpo < REPLICATE_BELOW_SECONDS) {
    settings.replication = { primaryRegion: DEFAULT_PRIMARY_REGION, replicaRegion: DEFAULT_REPLICA_REGION };
    set(
      "replication",
      `${DEFAULT_PRIMARY_REGION} -> ${DEFAULT_REPLICA_REGION}`,
      `rpo ${req.rpo} is under ${formatSeconds(REPLICATE_BELOW_SECONDS)}: backups alone would lose more after a Regional outage, so data is copied continuously to a second Region (change both Regions in lib/settings.ts)`,
    );
  }

  const users = req.traffic.peakConcurrentUsers;
  const min = req.availability >= MULTI_AZ_FROM ? 3 : req.availability >= 99.9 ? 2 : 1;
  const max = Math.max(min * 2, Math.ceil((users * HEADROOM) / USERS_PER_INSTANCE));
  settings.capacity = { min, max };
  set(
    "capacity",
    `${min}-${max}`,
    `traffic.peakConcurrentUsers ${users} at about ${USERS_PER_INSTANCE} per instance or task with ${Math.round((HEADROOM - 1) * 100)}% headroom sets the maximum; availability ${req.availability}% sets the minimum (${min === 3 ? "one per Availability Zone in three" : min === 2 ? "two, so one can fail" : "one"})`,
  );

  const concurrency = Math.ceil(req.traffic.requestsPerSecond * (req.latencyMs / 1000) * HEADROOM * 2);
  const lambda = accountLimit("lambda-reserved-concurrency");
  const functions = options.reservedFunctions ?? 1;
  const each = Math.max(5, concurrency);
  const across = functions > 1 ? ` on each of the ${functions} functions that serve requests (${functions * each} in all)` : "";
  if (req.traffic.requestsPerSecond > 0 && functions * each <= lambda.allowed) {
    settings.reservedConcurrency = each;
    set(
      "reservedConcurrency",
      String(settings.reservedConcurrency),
      `traffic.requestsPerSecond ${req.traffic.requestsPerSecond} held for up to latencyMs ${req.latencyMs} needs about ${Math.ceil(req.traffic.requestsPerSecond * (req.latencyMs / 1000))} concurrent executions; reserved with twice that plus headroom${across}, so other functions cannot starve these`,
    );
  } else if (req.traffic.requestsPerSecond > 0) {
    set(
      "reservedConcurrency",
      "unset",
      `traffic.requestsPerSecond ${req.traffic.requestsPerSecond} needs about ${each} concurrent executions${across}, more than the ${lambda.allowed} a default account lets functions reserve: ${quotaIncrease(lambda, functions * each)} before deploying, then set reservedConcurrency`,
    );
  }

  const events = req.traffic.eventsPerSecond;
  if (events > 0) {
    const shards = Math.ceil((events * HEADROOM) / RECORDS_PER_SHARD);
    const onDemand = req.traffic.shape !== "steady" || shards > MAX_PROVISIONED_SHARDS;
    settings.streamCapacity = onDemand ? "on-demand" : shards;
    set(
      "streamCapacity",
      onDemand ? "on-demand" : `${shards} shards`,
      onDemand
        ? `traffic.eventsPerSecond ${events} with a ${req.traffic.shape} shape${shards > MAX_PROVISIONED_SHARDS ? ` would need ${shards} shards` : ""}: on-demand mode scales the stream with the load`
        : `traffic.eventsPerSecond ${events} at ${RECORDS_PER_SHARD} records/s per shard, plus ${Math.round((HEADROOM - 1) * 100)}% headroom`,
    );
  }

  const nagPacks: NagPack[] = [];
  const notes: string[] = [];
  for (const regime of req.compliance) {
    const { pack, note } = COMPLIANCE_PACKS[regime];
    if (pack) {
      nagPacks.push(pack);
      set("cdk-nag pack", pack, `compliance ${regime}`);
    }
    if (note) notes.push(note);
  }
  return { settings, reasons, nagPacks, notes };
}

/** The settings of a plain `scaffold`: nothing asked, every template default kept. */
export function noSettings(): DerivedSettings {
  return { settings: { compliance: [] }, reasons: [], nagPacks: [], notes: [] };
}
