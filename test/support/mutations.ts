import { deriveSettings, type AppSettings } from "../../src/render/scaffold-settings.ts";
import { assessDraft, draftRequirements } from "../../src/requirements/resolve.ts";
import { checkInfrastructure } from "../../src/verify/check.ts";
import { readAssembly, type Infrastructure, type Resource } from "../../src/verify/templates.ts";

/**
 * Ways to break a synthesized app's delivery of its requirements, each applied to a copy of the
 * infrastructure where it applies: what `verify` must catch. `applies` says whether the app has the
 * resource and the requirement asks for the property; `apply` changes one resource and names it.
 */
export type Mutation = {
  name: string;
  requirement: string;
  /** whether requirements with these derived settings ask for what the mutation removes */
  asks: (settings: AppSettings) => boolean;
  apply: (infra: Infrastructure) => string | undefined;
};

const first = (infra: Infrastructure, test: (r: Resource) => boolean) => infra.stacks.flatMap((s) => s.resources).find(test);
const set = (r: Resource, key: string, value: unknown) => {
  r.properties[key] = value;
  return r.logicalId;
};

export const MUTATIONS: readonly Mutation[] = [
  {
    name: "Multi-AZ removed",
    requirement: "availability",
    asks: (s) => s.multiAz === true,
    apply: (i) => {
      const rds = first(i, (r) => r.type === "AWS::RDS::DBInstance" && r.properties.DBClusterIdentifier === undefined && r.properties.MultiAZ === true);
      if (rds) return set(rds, "MultiAZ", false);
      const cache = first(i, (r) => r.type === "AWS::ElastiCache::ReplicationGroup" && r.properties.MultiAZEnabled === true);
      if (cache) return set(cache, "MultiAZEnabled", false);
      const asg = first(i, (r) => r.type === "AWS::AutoScaling::AutoScalingGroup");
      if (asg) return set(asg, "MinSize", "1");
      const service = first(i, (r) => r.type === "AWS::ECS::Service" && typeof r.properties.DesiredCount === "number");
      return service ? set(service, "DesiredCount", 1) : undefined;
    },
  },
  {
    name: "backup retention lowered",
    requirement: "rpo",
    asks: (s) => (s.backupRetentionDays ?? 0) > 1,
    apply: (i) => {
      const db = first(i, (r) => (r.type === "AWS::RDS::DBCluster" || (r.type === "AWS::RDS::DBInstance" && r.properties.DBClusterIdentifier === undefined)) && typeof r.properties.BackupRetentionPeriod === "number");
      return db ? set(db, "BackupRetentionPeriod", 1) : undefined;
    },
  },
  {
    name: "PITR removed",
    requirement: "rpo",
    asks: (s) => s.pointInTimeRecovery === true,
    apply: (i) => {
      const table = first(i, (r) => r.type === "AWS::DynamoDB::Table");
      if (table) return set(table, "PointInTimeRecoverySpecification", { PointInTimeRecoveryEnabled: false });
      const global = first(i, (r) => r.type === "AWS::DynamoDB::GlobalTable" && Array.isArray(r.properties.Replicas));
      if (!global) return undefined;
      for (const replica of global.properties.Replicas as Record<string, unknown>[]) delete replica.PointInTimeRecoverySpecification;
      return global.logicalId;
    },
  },
  {
    name: "replication removed",
    requirement: "rpo",
    asks: (s) => s.replication !== undefined,
    apply: (i) => {
      const bucket = first(i, (r) => r.type === "AWS::S3::Bucket" && r.properties.ReplicationConfiguration !== undefined);
      if (bucket) {
        delete bucket.properties.ReplicationConfiguration;
        return bucket.logicalId;
      }
      const global = first(i, (r) => r.type === "AWS::DynamoDB::GlobalTable" && Array.isArray(r.properties.Replicas) && (r.properties.Replicas as unknown[]).length > 1);
      return global ? set(global, "Replicas", (global.properties.Replicas as unknown[]).slice(0, 1)) : undefined;
    },
  },
  {
    name: "a nag error left unacknowledged",
    requirement: "compliance",
    asks: () => true,
    apply: (i) => {
      if (i.validation === undefined) return undefined;
      const resource = first(i, (r) => r.type === "AWS::S3::Bucket") ?? first(i, () => true)!;
      i.validation.violations.push({ pluginName: "cdk-nag", ruleName: "AwsSolutions-S10", resource: resource.logicalId });
      return resource.logicalId;
    },
  },
  {
    name: "KMS encryption removed",
    requirement: "compliance",
    asks: (s) => s.compliance.length > 0,
    apply: (i) => {
      const bucket = first(i, (r) => r.type === "AWS::S3::Bucket" && JSON.stringify(r.properties.BucketEncryption ?? {}).includes("aws:kms"));
      if (bucket) return set(bucket, "BucketEncryption", { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] });
      const table = first(i, (r) => (r.type === "AWS::DynamoDB::Table" || r.type === "AWS::DynamoDB::GlobalTable") && r.properties.SSESpecification !== undefined);
      if (table) {
        delete table.properties.SSESpecification;
        return table.logicalId;
      }
      return undefined;
    },
  },
];

/**
 * Applies each mutation that the requirements ask about to a fresh read of the assembly, and runs
 * the infrastructure checks: a mutation is caught when a failure names its requirement and the
 * resource it changed. Returns the mutations that applied and those that were missed.
 */
export function tryMutations(requirementsFile: string, assemblyDir: string): { applicable: string[]; missed: string[] } {
  const { requirements } = assessDraft(draftRequirements(requirementsFile, {}));
  const asked = deriveSettings(requirements).settings;
  const applicable: string[] = [];
  const missed: string[] = [];
  for (const mutation of MUTATIONS) {
    const infrastructure = readAssembly(assemblyDir);
    const where = mutation.apply(infrastructure);
    if (where === undefined || !mutation.asks(asked)) continue;
    applicable.push(mutation.name);
    const failed = checkInfrastructure(requirements, infrastructure).filter((f) => f.status === "fail");
    if (!failed.some((f) => f.requirement === mutation.requirement && (f.resource?.logicalId === where || f.resource === undefined))) missed.push(`${mutation.name} on ${where}`);
  }
  return { applicable, missed };
}
