import { Aws, Duration, RemovalPolicy, Stack, Validations, type StackProps } from "aws-cdk-lib";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

import { acknowledgeCompliance } from "./compliance";

export interface ContentReplicaStackProps extends StackProps {
  /** name of the primary stack, from which the replica's name is derived */
  readonly primaryStackName: string;
  /** days earlier versions are kept, as in the origin */
  readonly noncurrentDays: number;
  /** compliance regimes of the app's settings: their packs check this stack too, and the replica gets a KMS key */
  readonly compliance: readonly string[];
}

/**
 * The replica Region's half of the replication: the origin's replica bucket and its access-log bucket,
 * and in compliance mode the replica's key (found by its alias from the primary Region).
 */
export class ContentReplicaStack extends Stack {
  /** a name the primary stack derives on its own (pseudo parameters, not this stack's scoped values) */
  readonly bucketName: string;
  readonly bucketArn: string;
  /** compliance mode only: the alias of the replica's key, and its ARN */
  readonly keyAlias?: string;
  readonly keyAliasArn?: string;

  constructor(scope: Construct, id: string, props: ContentReplicaStackProps) {
    super(scope, id, props);
    const compliant = props.compliance.length > 0;
    this.bucketName = `${props.primaryStackName.toLowerCase()}-origin-replica-${Aws.ACCOUNT_ID}`;
    this.bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    let key: kms.Key | undefined;
    if (compliant) {
      this.keyAlias = `alias/${props.primaryStackName}-origin-replica`;
      this.keyAliasArn = `arn:${Aws.PARTITION}:kms:${this.region}:${Aws.ACCOUNT_ID}:${this.keyAlias}`;
      key = new kms.Key(this, "ReplicaKey", { description: "Replica of the content origin", alias: this.keyAlias, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    }
    const accessLogs = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: compliant ? true : undefined,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: compliant ? Duration.days(30) : undefined }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This bucket is the destination of the replica bucket's server access logs; logging it into itself would loop.",
    });
    acknowledgeCompliance(accessLogs, props.compliance, "S3DefaultEncryptionKMS", "S3 delivers server access logs only to buckets whose default encryption is SSE-S3; AccessLogs holds those logs and nothing else.");
    acknowledgeCompliance(accessLogs, props.compliance, "S3BucketReplicationEnabled", "AccessLogs holds the replica bucket's access logs, not the content the requirements ask to copy; send them to a log-archive account if you keep one.");
    const replica = new s3.Bucket(this, "OriginReplica", {
      bucketName: this.bucketName,
      ...(key ? { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true } : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "origin-replica/",
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(props.noncurrentDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeCompliance(replica, props.compliance, "S3BucketReplicationEnabled", "OriginReplica is itself the cross-Region copy of the origin; a copy of the copy in a third Region is not asked for.");
  }
}
