import { Aws, Duration, RemovalPolicy, Stack, Token, Validations, type StackProps } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

/** cdk-nag pack prefix of each compliance regime that has a pack (GDPR has none). */
const PACK_PREFIX: Record<string, string> = { hipaa: "HIPAA.Security", "pci-dss": "PCI.DSS.321", soc2: "NIST.800.53.R5" };

/** Acknowledges one rule of every compliance pack the settings switch on (no-op outside compliance mode). */
export function acknowledgeCompliance(construct: Construct, compliance: readonly string[], rule: string, reason: string): void {
  for (const prefix of new Set(compliance.map((c) => PACK_PREFIX[c]).filter((p): p is string => p !== undefined))) {
    Validations.of(construct).acknowledge({ id: `${prefix}-${rule}`, reason });
  }
}

/**
 * Names both Regions agree on, so the primary stack never reads an output of the replica stack
 * (no cross-Region references, no custom resources): bucket names carry the account and Region,
 * the replica key is found by its alias, and the replication role by its name.
 */
export function replicaNames(appName: string, replicaRegion: string) {
  const base = appName.slice(0, 24).replace(/-+$/, "");
  return {
    bucket: (kind: string, account: string) => `${base}-${kind}-${account}-${replicaRegion}`,
    keyAlias: `alias/${appName}-replica`,
    role: `${appName.slice(0, 48)}-s3-replication`,
  };
}

export interface ReplicaStackProps extends StackProps {
  readonly appName: string;
  /** short names of the replicated buckets (lowercase, at most 8 characters): one replica bucket each */
  readonly kinds: readonly string[];
  readonly compliance: readonly string[];
}

/**
 * The replica Region's side of S3 replication, deployed before the primary stack: one versioned,
 * KMS-encrypted bucket per replicated bucket, its own key, an access-log bucket, and the role S3
 * replicates with (the primary stack adds the source-side permissions to it by name).
 */
export class ReplicaStack extends Stack {
  readonly buckets: Record<string, s3.Bucket> = {};
  readonly key: kms.Key;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ReplicaStackProps) {
    super(scope, id, props);
    const names = replicaNames(props.appName, this.region);
    this.key = new kms.Key(this, "ReplicaKey", {
      description: `${props.appName}: replicas of the primary Region's buckets`,
      alias: names.keyAlias,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // S3 delivers server access logs only to a bucket encrypted with SSE-S3.
    const accessLogs = new s3.Bucket(this, "ReplicaAccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "ReplicaAccessLogs receives the replica buckets' server access logs; logging it into itself would loop.",
    });
    acknowledgeCompliance(accessLogs, props.compliance, "S3DefaultEncryptionKMS", "S3 delivers server access logs only to buckets encrypted with SSE-S3; ReplicaAccessLogs holds those logs and nothing else.");
    acknowledgeCompliance(accessLogs, props.compliance, "S3BucketReplicationEnabled", "ReplicaAccessLogs holds access logs of the replicas, which are themselves the cross-Region copy.");

    const objectArns: string[] = [];
    for (const kind of props.kinds) {
      const bucket = new s3.Bucket(this, `Replica-${kind}`, {
        bucketName: names.bucket(kind, Aws.ACCOUNT_ID),
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${kind}/`,
        lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledgeCompliance(bucket, props.compliance, "S3BucketReplicationEnabled", `This bucket is the cross-Region replica of the ${kind} bucket; replicating it again would copy the copy.`);
      this.buckets[kind] = bucket;
      objectArns.push(bucket.arnForObjects("*"));
    }

    this.role = new iam.Role(this, "ReplicationRole", {
      roleName: names.role,
      assumedBy: new iam.ServicePrincipal("s3.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } } }),
      description: `${props.appName}: S3 replication into ${this.region}`,
    });
    const destination = new iam.ManagedPolicy(this, "ReplicationDestination", {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], resources: objectArns }),
        new iam.PolicyStatement({ actions: ["kms:Encrypt", "kms:GenerateDataKey"], resources: [this.key.keyArn] }),
      ],
    });
    for (const bucket of Object.values(this.buckets)) {
      Validations.of(destination).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
        reason: `Replication writes whatever keys the source bucket holds, so the role may replicate (exact replicate actions only) anywhere in ${bucket.node.id}.`,
      });
    }
  }
}

/** One primary-Region bucket to replicate, under a short name shared with its replica. */
export interface ReplicatedBucket {
  readonly kind: string;
  readonly bucket: s3.Bucket;
}

/**
 * Adds S3 replication of `buckets` to `replicaRegion`: creates the replica stack beside `stack`
 * (deployed first), points each bucket's replication rule at its replica (re-encrypted under the
 * replica key, delete markers included) and grants the source side to the replication role.
 */
export function replicateBuckets(
  stack: Stack,
  options: { appName: string; replicaRegion: string; key: kms.IKey; buckets: readonly ReplicatedBucket[]; compliance: readonly string[] },
): ReplicaStack {
  const replica = new ReplicaStack(stack.node.scope as Construct, `${stack.node.id}Replica`, {
    env: { region: options.replicaRegion, ...(Token.isUnresolved(stack.account) ? {} : { account: stack.account }) },
    description: `${options.appName}: replicas in ${options.replicaRegion}`,
    appName: options.appName,
    kinds: options.buckets.map((b) => b.kind),
    compliance: options.compliance,
  });
  stack.addStackDependency(replica, "replication needs the replica buckets and the replication role first");
  const names = replicaNames(options.appName, options.replicaRegion);
  const role = iam.Role.fromRoleName(stack, "ReplicationRole", names.role);
  for (const { kind, bucket } of options.buckets) {
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: role.roleArn,
      rules: [
        {
          id: `to-${options.replicaRegion}`,
          status: "Enabled",
          priority: 1,
          filter: { prefix: "" },
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: `arn:${Aws.PARTITION}:s3:::${names.bucket(kind, stack.account)}`,
            encryptionConfiguration: { replicaKmsKeyId: `arn:${Aws.PARTITION}:kms:${options.replicaRegion}:${stack.account}:${names.keyAlias}` },
          },
        },
      ],
    };
  }
  const source = new iam.ManagedPolicy(stack, "ReplicationSource", {
    description: "Source side of the S3 replication role",
    roles: [role],
    statements: [
      new iam.PolicyStatement({ actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: options.buckets.map((b) => b.bucket.bucketArn) }),
      new iam.PolicyStatement({
        actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        resources: options.buckets.map((b) => b.bucket.arnForObjects("*")),
      }),
      new iam.PolicyStatement({ actions: ["kms:Decrypt"], resources: [options.key.keyArn] }),
    ],
  });
  for (const { bucket } of options.buckets) {
    Validations.of(source).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason: `Replication copies every object of ${bucket.node.id}, so the role reads object versions (exact replication actions only) across the whole bucket.`,
    });
  }
  return replica;
}
