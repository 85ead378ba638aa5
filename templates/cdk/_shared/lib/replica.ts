import { Aws, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

/** A bucket of the primary stack to copy continuously into the replica Region. */
export interface ReplicatedBucket {
  /** short, lower-case name of the copy, unique within the app (part of the replica bucket's name) */
  readonly name: string;
  /** the source bucket: versioned, encrypted with `key` */
  readonly bucket: s3.Bucket;
  readonly key: kms.IKey;
  /** copy only keys under this prefix. Default: the whole bucket */
  readonly prefix?: string;
}

export interface BucketReplicasProps {
  /** the app's name: replica names derive from it, so neither stack reads the other's outputs */
  readonly appName: string;
  readonly replicaRegion: string;
  readonly buckets: readonly ReplicatedBucket[];
  /** compliance regimes of the app's settings: their packs check the replica stack too */
  readonly compliance: readonly string[];
}

/** The cdk-nag rule ids of a compliance rule in the packs the regimes turn on (soc2 runs NIST 800-53 r5). */
export function complianceRuleIds(compliance: readonly string[], rule: string): string[] {
  const prefixes: Record<string, string> = { hipaa: "HIPAA.Security", "pci-dss": "PCI.DSS.321", soc2: "NIST.800.53.R5" };
  return [...new Set(compliance.map((regime) => prefixes[regime]).filter((p) => p !== undefined))].map((p) => `${p}-${rule}`);
}

/** Acknowledges one rule in every compliance pack the regimes turn on (none outside compliance mode). */
export function acknowledgeCompliance(construct: Construct, compliance: readonly string[], rule: string, reason: string): void {
  for (const id of complianceRuleIds(compliance, rule)) Validations.of(construct).acknowledge({ id, reason });
}

/** S3 bucket names are at most 63 characters; the account and Region are appended to stay unique. */
function replicaBucketName(appName: string, name: string, region: string): string {
  const room = 63 - 12 - region.length - 2;
  const base = `${appName}-${name}`.slice(0, room).replace(/-+$/, "");
  return `${base}-${Aws.ACCOUNT_ID}-${region}`;
}

const roleName = (appName: string) => `${appName.slice(0, 48)}-s3-replication`;
const keyAlias = (appName: string) => `alias/${appName}-replica`;

/**
 * The replica Region's side: a KMS key, one versioned replica bucket per source, their access-log
 * bucket, and the role S3 replicates with. It is deployed before the primary stack (the destination
 * must exist when replication is switched on), and every name in it is deterministic, so the primary
 * stack refers to it by name instead of by cross-Region reference.
 */
export class ReplicaStack extends Stack {
  readonly key: kms.Key;
  readonly replicas: Record<string, s3.Bucket> = {};
  readonly replicationRole: iam.Role;

  constructor(scope: Construct, id: string, props: BucketReplicasProps & { description?: string }) {
    super(scope, id, { env: { region: props.replicaRegion }, description: props.description });
    this.key = new kms.Key(this, "ReplicaKey", {
      description: `${props.appName}: replicas in ${props.replicaRegion}`,
      alias: keyAlias(props.appName),
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new s3.Bucket(this, "ReplicaAccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This bucket is the destination of the replica buckets' server access logs; logging it into itself would loop.",
    });
    // Under a compliance pack: server access logs can only be delivered to an SSE-S3 bucket, and a
    // copy of a copy in a third Region is not what the requirements ask for.
    for (const id of complianceRuleIds(props.compliance, "S3DefaultEncryptionKMS")) {
      Validations.of(accessLogs).acknowledge({ id, reason: "S3 delivers server access logs only to buckets whose default encryption is SSE-S3; ReplicaAccessLogs holds those logs and nothing else." });
    }

    this.replicationRole = new iam.Role(this, "ReplicationRole", {
      roleName: roleName(props.appName),
      assumedBy: new iam.ServicePrincipal("s3.amazonaws.com"),
      description: `${props.appName}: S3 replication into ${props.replicaRegion}`,
    });
    const statements: iam.PolicyStatement[] = [new iam.PolicyStatement({ actions: ["kms:Encrypt", "kms:GenerateDataKey"], resources: [this.key.keyArn] })];
    for (const source of props.buckets) {
      const replica = new s3.Bucket(this, `${pascal(source.name)}Replica`, {
        bucketName: replicaBucketName(props.appName, source.name, props.replicaRegion),
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${source.name}/`,
        lifecycleRules: [{ id: "ExpireOldVersions", noncurrentVersionExpiration: Duration.days(30) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.replicas[source.name] = replica;
      statements.push(new iam.PolicyStatement({ actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], resources: [replica.arnForObjects("*")] }));
      for (const id of complianceRuleIds(props.compliance, "S3BucketReplicationEnabled")) {
        Validations.of(replica).acknowledge({ id, reason: `${replica.node.id} is itself the cross-Region copy of ${source.bucket.node.id}; a further copy is not asked for.` });
      }
    }
    for (const id of complianceRuleIds(props.compliance, "S3BucketReplicationEnabled")) {
      Validations.of(accessLogs).acknowledge({ id, reason: "ReplicaAccessLogs holds the replicas' access logs, which are not the data the requirements ask to copy." });
    }
    // A customer managed policy, not an inline one (the HIPAA, PCI DSS and NIST packs reject inline policies).
    const destination = new iam.ManagedPolicy(this, "ReplicationDestination", { roles: [this.replicationRole], statements });
    for (const replica of Object.values(this.replicas)) {
      Validations.of(destination).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(replica.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
        reason: `Replication writes whatever keys the source bucket holds, so the role may replicate (exact replicate actions only) anywhere in ${replica.node.id}.`,
      });
    }
  }
}

const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * Copies each bucket continuously to a replica in `replicaRegion` (S3 Replication Time Control: 99.99% of
 * objects within 15 minutes, most within seconds), re-encrypted under the replica Region's key. Creates
 * the replica stack beside `stack`, which then depends on it.
 */
export function replicateBuckets(stack: Stack, props: BucketReplicasProps): ReplicaStack {
  const scope = stack.node.scope as Construct;
  const replica = new ReplicaStack(scope, `${stack.node.id}Replica`, {
    ...props,
    description: `${props.appName}: cross-Region replicas in ${props.replicaRegion} (generated by aws-patterns)`,
  });
  stack.addStackDependency(replica, "the replica buckets and the replication role must exist before replication is switched on");
  const role = iam.Role.fromRoleName(stack, "ReplicationRole", roleName(props.appName));
  const statements: iam.PolicyStatement[] = [];
  for (const source of props.buckets) {
    statements.push(
      new iam.PolicyStatement({ actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: [source.bucket.bucketArn] }),
      new iam.PolicyStatement({
        actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        resources: [source.bucket.arnForObjects("*")],
      }),
      new iam.PolicyStatement({ actions: ["kms:Decrypt"], resources: [source.key.keyArn] }),
    );
    const destinationName = replicaBucketName(props.appName, source.name, props.replicaRegion);
    (source.bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: role.roleArn,
      rules: [
        {
          id: "ToReplicaRegion",
          status: "Enabled",
          priority: 0,
          filter: { prefix: source.prefix ?? "" },
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: `arn:${Aws.PARTITION}:s3:::${destinationName}`,
            encryptionConfiguration: { replicaKmsKeyId: `arn:${Aws.PARTITION}:kms:${props.replicaRegion}:${Aws.ACCOUNT_ID}:${keyAlias(props.appName)}` },
            replicationTime: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
          },
        },
      ],
    };
  }
  const policy = new iam.ManagedPolicy(stack, "ReplicationSource", { roles: [role], statements });
  for (const source of props.buckets) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(source.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason: `Replication copies every object version of ${source.bucket.node.id}, so the role reads object versions (exact replication read actions only) across the bucket.`,
    });
  }
  return replica;
}
