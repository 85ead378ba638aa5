import { Aws, Duration, RemovalPolicy, Stack, Validations, type StackProps } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

import { acknowledgeCompliance } from "./compliance";

export interface SiteReplicaStackProps extends StackProps {
  /** name of the primary stack, from which the replica's names are derived */
  readonly primaryStackName: string;
  /** days earlier versions are kept, as in the site bucket */
  readonly noncurrentDays: number;
  /** compliance regimes of the app's settings: their packs check this stack too, and the replica gets a KMS key */
  readonly compliance: readonly string[];
}

/**
 * The replica Region's half of the site: a bucket S3 replication keeps equal to the site bucket, which
 * the distribution falls back to when the primary bucket answers with server errors, and its access-log
 * bucket; in compliance mode also the replica's key. Every name is derived from the primary stack's
 * name, so neither stack reads the other's outputs across Regions.
 */
export class SiteReplicaStack extends Stack {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** compliance mode only: the replica key's alias, and its ARN */
  readonly keyAlias?: string;
  readonly keyAliasArn?: string;

  constructor(scope: Construct, id: string, props: SiteReplicaStackProps) {
    super(scope, id, props);
    const compliant = props.compliance.length > 0;
    this.bucketName = `${props.primaryStackName.toLowerCase().slice(0, 30)}-site-replica-${Aws.ACCOUNT_ID}`;
    this.bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    // CloudFront reads the replica through origin access control; the distribution's id is not known
    // here (it is created after this stack), so the grant covers this account's distributions.
    const fromThisAccountsDistributions = { ArnLike: { "AWS:SourceArn": `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` } };
    let key: kms.Key | undefined;
    if (compliant) {
      this.keyAlias = `alias/${props.primaryStackName}-site-replica`;
      this.keyAliasArn = `arn:${Aws.PARTITION}:kms:${this.region}:${Aws.ACCOUNT_ID}:${this.keyAlias}`;
      key = new kms.Key(this, "ReplicaKey", { description: "Replica of the site", alias: this.keyAlias, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal("cloudfront.amazonaws.com")],
          actions: ["kms:Decrypt"],
          resources: ["*"],
          conditions: fromThisAccountsDistributions,
        }),
      );
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
    acknowledgeCompliance(accessLogs, props.compliance, "S3BucketReplicationEnabled", "AccessLogs holds the replica bucket's access logs, not the site the requirements ask to copy.");
    const replica = new s3.Bucket(this, "SiteReplica", {
      bucketName: this.bucketName,
      ...(key ? { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true } : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "site-replica/",
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(props.noncurrentDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    replica.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudfront.amazonaws.com")],
        actions: ["s3:GetObject"],
        resources: [replica.arnForObjects("*")],
        conditions: fromThisAccountsDistributions,
      }),
    );
    acknowledgeCompliance(replica, props.compliance, "S3BucketReplicationEnabled", "SiteReplica is itself the cross-Region copy of the site; a copy of the copy in a third Region is not asked for.");
  }
}
