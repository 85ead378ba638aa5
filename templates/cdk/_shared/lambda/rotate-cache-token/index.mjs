// Secrets Manager rotation for the ElastiCache AUTH token. createSecret stores a new random token as
// AWSPENDING; setSecret adds it to the replication group with the ROTATE strategy, so the previous
// token stays valid and connected clients keep working; testSecret waits until the group has applied
// it; finishSecret makes it AWSCURRENT. Every step is safe to retry.
import { randomBytes } from "node:crypto";
import {
  SecretsManagerClient,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-secrets-manager";
import { ElastiCacheClient, DescribeReplicationGroupsCommand, ModifyReplicationGroupCommand } from "@aws-sdk/client-elasticache";

const secrets = new SecretsManagerClient({});
const elasticache = new ElastiCacheClient({});
const GROUP = process.env.REPLICATION_GROUP_ID;

export async function handler(event) {
  const { SecretId: secretId, ClientRequestToken: version, Step: step } = event;
  const secret = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!secret.RotationEnabled) throw new Error(`rotation is not enabled for ${secretId}`);
  const stages = secret.VersionIdsToStages?.[version];
  if (!stages) throw new Error(`version ${version} of ${secretId} is not staged for rotation`);
  if (stages.includes("AWSCURRENT")) return; // this version is already current: nothing left to do
  if (!stages.includes("AWSPENDING")) throw new Error(`version ${version} of ${secretId} is not AWSPENDING`);
  console.log(JSON.stringify({ step, secretId, version }));
  if (step === "createSecret") return createSecret(secretId, version);
  if (step === "setSecret") return setSecret(secretId, version);
  if (step === "testSecret") return waitUntilAvailable();
  if (step === "finishSecret") return finishSecret(secretId, version, secret.VersionIdsToStages);
  throw new Error(`unknown rotation step ${step}`);
}

async function createSecret(secretId, version) {
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

async function setSecret(secretId, version) {
  const pending = await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: version, VersionStage: "AWSPENDING" }));
  await waitUntilAvailable();
  await elasticache.send(new ModifyReplicationGroupCommand({
    ReplicationGroupId: GROUP,
    AuthToken: JSON.parse(pending.SecretString).token,
    AuthTokenUpdateStrategy: "ROTATE",
    ApplyImmediately: true,
  }));
}

// A modification takes a few minutes; the function's timeout leaves room for it.
async function waitUntilAvailable() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { ReplicationGroups } = await elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: GROUP }));
    if (ReplicationGroups?.[0]?.Status === "available") return;
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
  throw new Error(`replication group ${GROUP} did not become available`);
}

async function finishSecret(secretId, version, versions) {
  const current = Object.entries(versions).find(([, stages]) => stages.includes("AWSCURRENT"))?.[0];
  await secrets.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: "AWSCURRENT", MoveToVersionId: version, RemoveFromVersionId: current }));
}
