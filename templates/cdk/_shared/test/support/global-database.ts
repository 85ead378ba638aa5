import type { Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type * as rds from "aws-cdk-lib/aws-rds";
import { expect } from "vitest";

/** What a stack built with `settings.replication` must hold of its Aurora global database. */
export interface ExpectedGlobalDatabase {
  /** the primary cluster's identifier: the global cluster is `<it>-global`, the secondary `<it>-replica` */
  readonly clusterIdentifier: string;
  readonly replicaRegion: string;
  readonly port: number;
  readonly backupDays: number;
}

/**
 * Checks the Aurora global database of `primary` (whose synthesized template is `template`): a
 * retained, deletion-protected global cluster whose source is exactly `cluster`'s ARN, and a sibling
 * stack in the replica Region, deployed after the primary, holding the secondary cluster: the same
 * engine version and port, encrypted, no master user of its own, two Serverless v2 instances in
 * different zones. The primary's master password is a secret of the stack, not RDS's (which a global
 * database does not allow), copied to the replica Region and rotated. Returns the sibling stack's
 * template for further checks.
 */
export function expectGlobalDatabase(template: Template, primary: Stack, cluster: rds.DatabaseCluster, replica: Stack | undefined, expected: ExpectedGlobalDatabase): Template {
  const globalClusterIdentifier = `${expected.clusterIdentifier}-global`;
  const globals = Object.values(template.findResources("AWS::RDS::GlobalCluster"));
  expect(globals).toHaveLength(1);
  expect(globals[0]!.DeletionPolicy).toBe("Retain");
  expect(globals[0]!.Properties).toEqual({
    GlobalClusterIdentifier: globalClusterIdentifier,
    SourceDBClusterIdentifier: primary.resolve(cluster.clusterArn),
    DeletionProtection: true,
  });
  const primaryCluster = template.findResources("AWS::RDS::DBCluster", { Properties: { DBClusterIdentifier: expected.clusterIdentifier } });
  expect(Object.keys(primaryCluster)).toEqual([primary.getLogicalId(cluster.node.defaultChild as rds.CfnDBCluster)]);
  expectReplicatedMasterSecret(template, Object.values(primaryCluster)[0]!.Properties, expected.replicaRegion);

  expect(replica, "a replica stack").toBeDefined();
  expect(replica!.region).toBe(expected.replicaRegion);
  expect(replica!.dependencies).toContain(primary);
  const secondary = Template.fromStack(replica!);
  const secondaries = Object.values(secondary.findResources("AWS::RDS::DBCluster"));
  expect(secondaries).toHaveLength(1);
  expect(secondaries[0]!.DeletionPolicy).toBe("Retain");
  expect(secondaries[0]!.Properties).toMatchObject({
    DBClusterIdentifier: `${expected.clusterIdentifier}-replica`,
    GlobalClusterIdentifier: globalClusterIdentifier,
    Engine: "aurora-postgresql",
    EngineVersion: Object.values(primaryCluster)[0]!.Properties.EngineVersion,
    Port: expected.port,
    StorageEncrypted: true,
    KmsKeyId: expect.anything(),
    BackupRetentionPeriod: expected.backupDays,
    DeletionProtection: true,
  });
  expect(secondaries[0]!.Properties.MasterUsername).toBeUndefined();
  const instances = Object.values(secondary.findResources("AWS::RDS::DBInstance"));
  expect(instances.map((i) => i.Properties.DBInstanceClass)).toEqual(["db.serverless", "db.serverless"]);
  expect(new Set(instances.map((i) => JSON.stringify(i.Properties.AvailabilityZone))).size).toBe(2);
  return secondary;
}

/**
 * RDS does not manage the master password of a cluster in a global database: the cluster's master
 * user comes from a secret of the stack, copied to the replica Region and rotated every 30 days.
 */
function expectReplicatedMasterSecret(template: Template, cluster: Record<string, unknown>, replicaRegion: string): void {
  expect(cluster.ManageMasterUserPassword).toBeUndefined();
  expect(cluster.MasterUserSecret).toBeUndefined();
  // {{resolve:secretsmanager:<the secret>:SecretString:password::}}, joined from the secret's Ref
  const password = JSON.stringify(cluster.MasterUserPassword);
  const secrets = template.findResources("AWS::SecretsManager::Secret", { Properties: { ReplicaRegions: [{ Region: replicaRegion }] } });
  const secretIds = Object.keys(secrets).filter((id) => password.includes(`"Ref":"${id}"`));
  expect(secretIds, "the master password from a secret copied to the replica Region").toHaveLength(1);
  expect(secrets[secretIds[0]!]!.Properties.KmsKeyId).toBeDefined();
  const attachments = template.findResources("AWS::SecretsManager::SecretTargetAttachment", { Properties: { SecretId: { Ref: secretIds[0] } } });
  expect(Object.keys(attachments)).toHaveLength(1);
  template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", {
    SecretId: { Ref: Object.keys(attachments)[0] },
    RotationRules: { ScheduleExpression: "rate(30 days)" },
  });
}
