import type { AppSettings } from "../render/scaffold-settings.ts";
import { MULTI_AZ_FROM } from "../render/scaffold-settings.ts";
import { ACCOUNT_LIMITS_FILE, accountLimits, measureAccountLimits } from "./account-limits.ts";
import type { Infrastructure, Resource } from "./templates.ts";

/**
 * The infrastructure checks, as data: each a small pure rule named for what must be true (as
 * cdk-nag names its rules), with the requirement it serves, the resource types it reads, when it
 * applies, and a fix hint. A rule judges one resource at a time (`check`), or the whole
 * infrastructure at once (`checkAll`), and says `pass`, `fail` or `unknown` (not checked) with a reason.
 */
export type Outcome = { status: "pass" | "fail" | "unknown"; says: string };
export type Context = { settings: AppSettings; infrastructure: Infrastructure; all: readonly Resource[] };
export type Rule = {
  id: string;
  /** the requirement path it protects */
  requirement: string;
  types: readonly string[];
  appliesWhen: (settings: AppSettings) => boolean;
  check?: (resource: Resource, context: Context) => Outcome;
  checkAll?: (context: Context) => (Outcome & { resource?: Resource })[];
  fix: string;
};

const pass = (says: string): Outcome => ({ status: "pass", says });
const fail = (says: string): Outcome => ({ status: "fail", says });
const unknown = (says: string): Outcome => ({ status: "unknown", says });

/** A literal number, or undefined for an intrinsic function or parameter the rules cannot evaluate. */
function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}
function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return undefined;
}
const get = (object: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), object);
const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value ?? null).includes(`"${logicalId}"`);

/** A string, Ref or Fn::Join as one string (a Ref becomes `{Name}`), so names built alike compare equal. */
function flatten(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const ref = get(value, "Ref");
  if (typeof ref === "string") return `{${ref}}`;
  const join = get(value, "Fn::Join");
  if (Array.isArray(join) && typeof join[0] === "string" && Array.isArray(join[1])) {
    const parts = (join[1] as unknown[]).map(flatten);
    return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/**
 * A bucket that another bucket's replication rule writes into: named by Ref or GetAtt in the same
 * stack, or by an ARN built from the same parts as its name (the way a replica stack in another
 * Region is named without a cross-Region reference).
 */
function isReplicaBucket(bucket: Resource, c: Context): boolean {
  const name = flatten(bucket.properties.BucketName);
  // S3 replication's role may write replicas into it: the copy a source in another stack sends
  // (a statement that allows s3:ReplicateObject on it; the same policy also reads the source bucket)
  const receivesReplicas = c.all.some((p) => {
    if (p.stack !== bucket.stack || (p.type !== "AWS::IAM::ManagedPolicy" && p.type !== "AWS::IAM::Policy")) return false;
    const statements = get(p.properties, "PolicyDocument", "Statement");
    return (Array.isArray(statements) ? statements : [statements]).some((st) => {
      const actions = get(st, "Action");
      return (Array.isArray(actions) ? actions : [actions]).includes("s3:ReplicateObject") && refersTo(get(st, "Resource"), bucket.logicalId);
    });
  });
  if (receivesReplicas) return true;
  return c.all.some((r) => {
    if (r === bucket || r.type !== "AWS::S3::Bucket") return false;
    const rules = get(r.properties, "ReplicationConfiguration", "Rules");
    if (!Array.isArray(rules)) return false;
    return rules.some((rule) => {
      const destination = get(rule, "Destination", "Bucket");
      if (bucket.stack === r.stack && refersTo(destination, bucket.logicalId)) return true;
      const arn = flatten(destination);
      return name !== undefined && arn !== undefined && arn.endsWith(`:s3:::${name}`);
    });
  });
}

export const RULES: readonly Rule[] = [
  {
    id: "RdsInstanceIsMultiAz",
    requirement: "availability",
    types: ["AWS::RDS::DBInstance"],
    appliesWhen: (s) => s.multiAz === true,
    check: (r) => {
      if (r.properties.DBClusterIdentifier !== undefined) return pass("a member of an Aurora cluster; the cluster rule judges it");
      const multi = bool(r.properties.MultiAZ);
      return multi === true ? pass("MultiAZ is on") : multi === undefined && r.properties.MultiAZ !== undefined ? unknown("MultiAZ is not a literal") : fail(`MultiAZ is off; availability of ${MULTI_AZ_FROM}% or more needs a standby in another Availability Zone`);
    },
    fix: "Set MultiAZ: true (multiAz in lib/settings.ts for a generated app).",
  },
  {
    id: "AuroraClusterSpansTwoAzs",
    requirement: "availability",
    types: ["AWS::RDS::DBCluster"],
    appliesWhen: (s) => s.multiAz === true,
    check: (r, c) => {
      if (r.properties.Engine !== undefined && !String(r.properties.Engine).startsWith("aurora")) return unknown(`engine ${String(r.properties.Engine)} is not Aurora`);
      if (/^serverless$/i.test(String(r.properties.EngineMode ?? ""))) return pass("Aurora Serverless v1 moves its capacity between zones itself");
      const members = c.all.filter((x) => x.type === "AWS::RDS::DBInstance" && refersTo(x.properties.DBClusterIdentifier, r.logicalId));
      return members.length >= 2 ? pass(`${members.length} instances: a writer and a reader to fail over to`) : fail(`${members.length} instance${members.length === 1 ? "" : "s"}: a lost zone takes the database down until a new instance starts`);
    },
    fix: "Add a reader instance to the cluster (in another Availability Zone).",
  },
  {
    id: "CacheFailsOverAcrossAzs",
    requirement: "availability",
    types: ["AWS::ElastiCache::ReplicationGroup"],
    appliesWhen: (s) => s.multiAz === true,
    check: (r) => {
      const multi = bool(r.properties.MultiAZEnabled);
      const failover = bool(r.properties.AutomaticFailoverEnabled);
      return multi === true && failover === true ? pass("Multi-AZ with automatic failover") : fail(`MultiAZEnabled ${String(multi ?? false)}, AutomaticFailoverEnabled ${String(failover ?? false)}: both must be on`);
    },
    fix: "Set MultiAZEnabled and AutomaticFailoverEnabled to true, with at least one replica.",
  },
  {
    id: "FleetSpansTwoAzs",
    requirement: "availability",
    types: ["AWS::AutoScaling::AutoScalingGroup", "AWS::ECS::Service"],
    appliesWhen: (s) => s.multiAz === true,
    check: (r) => {
      const isAsg = r.type === "AWS::AutoScaling::AutoScalingGroup";
      const subnets = isAsg ? (r.properties.VPCZoneIdentifier ?? r.properties.AvailabilityZones) : get(r.properties, "NetworkConfiguration", "AwsvpcConfiguration", "Subnets");
      const minimum = isAsg ? num(r.properties.MinSize) : num(r.properties.DesiredCount);
      if (!Array.isArray(subnets)) return unknown("its subnets are not a literal list");
      if (minimum === undefined) return unknown("its minimum is not a literal number");
      if (subnets.length < 2) return fail(`runs in ${subnets.length} subnet: a lost zone stops it`);
      return minimum >= 2 ? pass(`${subnets.length} subnets, at least ${minimum} running`) : fail(`at least ${minimum} running: one failure stops it`);
    },
    fix: "Spread the group or service over subnets in two or more Availability Zones with a minimum of two.",
  },
  {
    id: "BackupsCoverRetention",
    requirement: "rpo",
    types: ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Backup::BackupPlan"],
    appliesWhen: (s) => s.backupRetentionDays !== undefined,
    check: (r, c) => {
      const days = c.settings.backupRetentionDays!;
      if (r.type === "AWS::Backup::BackupPlan") {
        const rules = get(r.properties, "BackupPlan", "BackupPlanRule");
        if (!Array.isArray(rules)) return unknown("its rules are not a literal list");
        const kept = Math.max(0, ...rules.map((x) => num(get(x, "Lifecycle", "DeleteAfterDays")) ?? Number.POSITIVE_INFINITY));
        return kept >= days ? pass(`recovery points kept ${Number.isFinite(kept) ? `${kept} days` : "indefinitely"}`) : fail(`recovery points kept ${kept} days; the requirements ask for ${days}`);
      }
      if (r.type === "AWS::RDS::DBInstance" && r.properties.DBClusterIdentifier !== undefined) return pass("a member of an Aurora cluster; the cluster keeps the backups");
      const kept = r.properties.BackupRetentionPeriod === undefined ? 1 : num(r.properties.BackupRetentionPeriod);
      if (kept === undefined) return unknown("BackupRetentionPeriod is not a literal");
      return kept >= days ? pass(`automated backups kept ${kept} days`) : fail(`automated backups kept ${kept} day${kept === 1 ? "" : "s"}; the requirements ask for ${days}`);
    },
    fix: "Raise BackupRetentionPeriod (or the backup plan's DeleteAfterDays) to the derived days (backupRetentionDays in lib/settings.ts).",
  },
  {
    id: "TablesHavePointInTimeRecovery",
    requirement: "rpo",
    types: ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"],
    appliesWhen: (s) => s.pointInTimeRecovery === true,
    check: (r) => {
      const specs =
        r.type === "AWS::DynamoDB::GlobalTable"
          ? (Array.isArray(r.properties.Replicas) ? r.properties.Replicas : []).map((x) => get(x, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"))
          : [get(r.properties, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")];
      if (specs.length === 0) return unknown("no replicas listed");
      return specs.every((x) => bool(x) === true) ? pass("point-in-time recovery on") : fail("point-in-time recovery is off: restores reach back only to the last on-demand backup");
    },
    fix: "Turn on PointInTimeRecoverySpecification (pointInTimeRecovery in lib/settings.ts).",
  },
  {
    id: "StoresReplicateAcrossRegions",
    requirement: "rpo",
    types: ["AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::RDS::DBCluster"],
    appliesWhen: (s) => s.replication !== undefined,
    check: (r, c) => {
      if (r.metadata["aws-patterns:replication"] === "not-needed") return pass(`acknowledged: ${String(r.metadata["aws-patterns:reason"] ?? "no reason given")}`);
      // a cdk-nag pack's replication finding acknowledged on this store, with its reason, is as explicit
      const ack = r.acknowledged?.find((a) => a.id.endsWith("-S3BucketReplicationEnabled"));
      if (ack) return pass(`acknowledged (${ack.id}): ${ack.reason}`);
      switch (r.type) {
        case "AWS::S3::Bucket":
          if (isLogBucket(r, c)) return pass("holds access logs only");
          if (r.properties.ReplicationConfiguration !== undefined) return pass("replicated to another bucket");
          return isReplicaBucket(r, c) ? pass("the copy another bucket replicates into") : fail("not replicated: a Regional outage loses what was written since the last backup");
        case "AWS::DynamoDB::Table":
          return fail("a single-Region table: use a global table with a replica in the recovery Region");
        case "AWS::DynamoDB::GlobalTable": {
          const replicas = Array.isArray(r.properties.Replicas) ? r.properties.Replicas.length : 0;
          return replicas >= 2 ? pass(`${replicas} Regional replicas`) : fail(`${replicas} replica: no copy in a second Region`);
        }
        default:
          return r.properties.GlobalClusterIdentifier !== undefined || c.all.some((x) => x.type === "AWS::RDS::GlobalCluster" && refersTo(x.properties, r.logicalId))
            ? pass("part of an Aurora global database")
            : fail("not part of an Aurora global database: no copy in a second Region");
      }
    },
    fix: "Replicate every stateful store to the recovery Region (S3 replication, DynamoDB global table replicas, Aurora Global Database), or mark a store that needs none with Metadata aws-patterns:replication: not-needed and aws-patterns:reason (or acknowledge a pack's S3BucketReplicationEnabled finding on it, with the reason).",
  },
  {
    id: "FleetMeetsCapacityFloor",
    requirement: "traffic.peakConcurrentUsers",
    types: ["AWS::AutoScaling::AutoScalingGroup", "AWS::ECS::Service"],
    appliesWhen: (s) => s.capacity !== undefined,
    check: (r, c) => {
      const { min, max } = c.settings.capacity!;
      const low = num(r.type === "AWS::ECS::Service" ? r.properties.DesiredCount : r.properties.MinSize);
      const high = r.type === "AWS::AutoScaling::AutoScalingGroup" ? num(r.properties.MaxSize) : undefined;
      if (low === undefined) return unknown("its minimum is not a literal number");
      if (low < min) return fail(`runs at least ${low}; the requirements derive a floor of ${min}`);
      if (high !== undefined && high < max) return fail(`scales to at most ${high}; the peak needs ${max}`);
      return pass(`at least ${low}${high !== undefined ? `, up to ${high}` : ""}`);
    },
    fix: "Raise the minimum (and maximum) to the derived capacity (capacity in lib/settings.ts).",
  },
  {
    id: "StreamMeetsCapacity",
    requirement: "traffic.eventsPerSecond",
    types: ["AWS::Kinesis::Stream"],
    appliesWhen: (s) => s.streamCapacity !== undefined,
    check: (r, c) => {
      const wanted = c.settings.streamCapacity!;
      if (get(r.properties, "StreamModeDetails", "StreamMode") === "ON_DEMAND") return pass("on-demand mode");
      const shards = num(r.properties.ShardCount) ?? 1;
      if (wanted === "on-demand") return fail(`${shards} provisioned shards; the load asks for on-demand mode`);
      return shards >= wanted ? pass(`${shards} shards`) : fail(`${shards} shards; the peak needs ${wanted}`);
    },
    fix: "Raise ShardCount to the derived figure or use on-demand mode (streamCapacity in lib/settings.ts).",
  },
  {
    id: "StaysWithinDefaultQuotas",
    requirement: "traffic",
    types: [...new Set(accountLimits().map((l) => l.measure.type))],
    appliesWhen: () => true,
    checkAll: (c) =>
      measureAccountLimits(c.infrastructure).map((u) => {
        const what = `${u.limit.quota} in ${u.region}: ${u.used}`;
        const o = u.used <= u.allowed ? pass(`${what}, within the default ${u.allowed}`) : fail(`${what}, over the default ${u.allowed} (${u.limit.why})`);
        return { ...o, resource: u.resources[0]! };
      }),
    fix: `Stay within the default quotas of ${ACCOUNT_LIMITS_FILE}, or raise the quota in Service Quotas before deploying.`,
  },
  {
    id: "DataStoresEncryptedWithKms",
    requirement: "compliance",
    types: ["AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Kinesis::Stream", "AWS::SQS::Queue", "AWS::ElastiCache::ReplicationGroup"],
    appliesWhen: (s) => s.compliance.length > 0,
    check: (r, c) => {
      switch (r.type) {
        case "AWS::S3::Bucket": {
          const rules = get(r.properties, "BucketEncryption", "ServerSideEncryptionConfiguration");
          const algorithm = Array.isArray(rules) ? get(rules[0], "ServerSideEncryptionByDefault", "SSEAlgorithm") : undefined;
          if (isLogBucket(r, c) && algorithm === "AES256") return pass("an access-log bucket, which S3 server access logging requires to use SSE-S3");
          return typeof algorithm === "string" && algorithm.startsWith("aws:kms") ? pass("SSE-KMS") : fail(`encrypted with ${String(algorithm ?? "the S3 default")}, not KMS`);
        }
        case "AWS::DynamoDB::Table":
        case "AWS::DynamoDB::GlobalTable": {
          const type = get(r.properties, "SSESpecification", "SSEType");
          const on = bool(get(r.properties, "SSESpecification", "SSEEnabled"));
          return on === true && (type === undefined || type === "KMS") ? pass("KMS encryption") : fail("encrypted with an AWS owned key, not KMS");
        }
        case "AWS::RDS::DBCluster":
        case "AWS::RDS::DBInstance":
          if (r.type === "AWS::RDS::DBInstance" && r.properties.DBClusterIdentifier !== undefined) return pass("encrypted by its cluster");
          return bool(r.properties.StorageEncrypted) === true ? pass("storage encrypted with KMS") : fail("storage not encrypted");
        case "AWS::Kinesis::Stream":
          return get(r.properties, "StreamEncryption", "EncryptionType") === "KMS" ? pass("KMS encryption") : fail("stream not encrypted with KMS");
        case "AWS::SQS::Queue":
          return r.properties.KmsMasterKeyId !== undefined ? pass("SSE-KMS") : fail(bool(r.properties.SqsManagedSseEnabled) === false ? "not encrypted" : "SQS-managed encryption, not KMS");
        default:
          return bool(r.properties.AtRestEncryptionEnabled) === true ? pass("encrypted at rest") : fail("not encrypted at rest");
      }
    },
    fix: "Encrypt the store with a KMS key (customer managed where the regime asks), as compliance mode does in a generated app.",
  },
  {
    id: "NagPacksRanClean",
    requirement: "compliance",
    types: [],
    // an unacknowledged finding fails whatever the regime; which packs ran matters only under one
    appliesWhen: () => true,
    checkAll: (c) => {
      const validation = c.infrastructure.validation;
      if (validation === undefined)
        return c.settings.compliance.length > 0 ? [unknown("no cdk-nag validation report (plain templates, or an assembly synthesized without the Validations plugin)")] : [];
      const unacknowledged = validation.violations.filter((v) => !c.infrastructure.acknowledged.some((a) => a.includes(v.ruleName)));
      if (unacknowledged.length > 0)
        return unacknowledged.map((v) => ({ ...fail(`${v.pluginName}: ${v.ruleName} is not acknowledged`), ...(resourceOf(c, v.resource) ? { resource: resourceOf(c, v.resource)! } : {}) }));
      const packs = c.settings.compliance.map((regime) => PACK_PREFIXES[regime]).filter((p): p is string => p !== undefined);
      if (packs.length === 0) return [pass("no unacknowledged cdk-nag finding")];
      const evidence = packs.filter((prefix) => c.infrastructure.acknowledged.some((a) => a.includes(`${prefix}-`)));
      return [evidence.length === packs.length ? pass(`no unacknowledged finding; ${packs.join(", ")} ran (acknowledged findings show it)`) : unknown(`no finding is reported, but nothing shows that ${packs.filter((p) => !evidence.includes(p)).join(", ")} ran`)];
    },
    fix: "Add the regime's cdk-nag pack (Validations.of(app).addPlugins(...)), then fix each finding or acknowledge it with a reason.",
  },
];

/** The finding-id prefix of each regime's cdk-nag pack. */
const PACK_PREFIXES: Record<string, string | undefined> = { hipaa: "HIPAA.Security", "pci-dss": "PCI.DSS.321", soc2: "NIST.800.53.R5" };

function resourceOf(c: Context, logicalId: string): Resource | undefined {
  return c.all.find((r) => r.logicalId === logicalId);
}

/** A bucket other buckets or the load balancers log into. */
function isLogBucket(r: Resource, c: Context): boolean {
  const logsInto = (x: Resource): unknown => {
    if (x.type === "AWS::S3::Bucket") return get(x.properties, "LoggingConfiguration", "DestinationBucketName");
    // load balancer access logs (which S3 accepts only with SSE-S3), flow logs, CloudFront standard logs
    if (x.type === "AWS::ElasticLoadBalancingV2::LoadBalancer")
      return (Array.isArray(x.properties.LoadBalancerAttributes) ? x.properties.LoadBalancerAttributes : []).filter((a) => get(a, "Key") === "access_logs.s3.bucket");
    if (x.type === "AWS::EC2::FlowLog") return x.properties.LogDestination;
    if (x.type === "AWS::CloudFront::Distribution") return get(x.properties, "DistributionConfig", "Logging");
    return undefined;
  };
  return c.all.some((x) => x !== r && x.stack === r.stack && refersTo(logsInto(x), r.logicalId)) || (r.properties.OwnershipControls !== undefined && JSON.stringify(r.properties).includes("LogDeliveryWrite"));
}
