// Secrets Manager rotation for the ElastiCache AUTH token. createSecret stores a new random token as
// AWSPENDING; setSecret adds it to the replication group with the ROTATE strategy, so the previous
// token stays valid and connected clients keep working; testSecret waits until the group has applied
// it; finishSecret makes it AWSCURRENT. Every step is safe to retry.
import { randomBytes } from "node:crypto";
import { DescribeReplicationGroupsCommand, ElastiCacheClient, ModifyReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import type { SecretsManagerRotationEvent } from "aws-lambda";

const secrets = new SecretsManagerClient({});
const elasticache = new ElastiCacheClient({});

/** How often, and how many times, the group's status is read while a modification is applied. */
export const POLL_MS = 15_000;
export const POLLS = 50;

export async function handler(event: SecretsManagerRotationEvent): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: version, Step: step } = event;
  const secret = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!secret.RotationEnabled) throw new Error(`rotation is not enabled for ${secretId}`);
  const versions = secret.VersionIdsToStages ?? {};
  const stages = versions[version];
  if (!stages) throw new Error(`version ${version} of ${secretId} is not staged for rotation`);
  if (stages.includes("AWSCURRENT")) return; // this version is already current: nothing left to do
  if (!stages.includes("AWSPENDING")) throw new Error(`version ${version} of ${secretId} is not AWSPENDING`);
  console.log(JSON.stringify({ step, secretId, version }));
  switch (step) {
    case "createSecret":
      return createSecret(secretId, version);
    case "setSecret":
      return setSecret(secretId, version);
    case "testSecret":
      return waitUntilAvailable();
    case "finishSecret":
      return finishSecret(secretId, version, versions);
    default:
      throw new Error(`unknown rotation step ${String(step)}`);
  }
}

async function createSecret(secretId: string, version: string): Promise<void> {
  try {
    await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: version, VersionStage: "AWSPENDING" }));
    return; // created by an earlier attempt
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  // ElastiCache accepts 16 to 128 printable characters without @, " or /: 64 hex digits fit.
  const token = randomBytes(32).toString("hex");
  await secrets.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: version, SecretString: JSON.stringify({ token }), VersionStages: ["AWSPENDING"] }));
}

async function setSecret(secretId: string, version: string): Promise<void> {
  const pending = await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: version, VersionStage: "AWSPENDING" }));
  const { token } = JSON.parse(pending.SecretString ?? "{}") as { token?: string };
  if (!token) throw new Error(`version ${version} of ${secretId} has no token field`);
  await waitUntilAvailable();
  await elasticache.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: group(), AuthToken: token, AuthTokenUpdateStrategy: "ROTATE", ApplyImmediately: true }));
}

// A modification takes a few minutes; the function's timeout leaves room for it.
async function waitUntilAvailable(): Promise<void> {
  for (let attempt = 0; attempt < POLLS; attempt++) {
    const { ReplicationGroups } = await elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: group() }));
    if (ReplicationGroups?.[0]?.Status === "available") return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`replication group ${group()} did not become available`);
}

async function finishSecret(secretId: string, version: string, versions: Record<string, string[]>): Promise<void> {
  const current = Object.entries(versions).find(([, stages]) => stages.includes("AWSCURRENT"))?.[0];
  await secrets.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: "AWSCURRENT", MoveToVersionId: version, RemoveFromVersionId: current }));
}

function group(): string {
  const id = process.env.REPLICATION_GROUP_ID;
  if (!id) throw new Error("REPLICATION_GROUP_ID is not set");
  return id;
}
