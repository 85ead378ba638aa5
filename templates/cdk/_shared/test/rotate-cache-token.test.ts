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
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handler, POLL_MS } from "../lambda/rotate-cache-token/index";

const secrets = mockClient(SecretsManagerClient);
const elasticache = mockClient(ElastiCacheClient);
const SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:cache-token";
const step = (Step: SecretsManagerRotationEvent["Step"], version = "v2"): SecretsManagerRotationEvent => ({ Step, SecretId: SECRET, ClientRequestToken: version });
/** The secret as Secrets Manager describes it during a rotation: v1 current, v2 pending. */
const staged = (stages: Record<string, string[]> = { v1: ["AWSCURRENT"], v2: ["AWSPENDING"] }, RotationEnabled = true) =>
  secrets.on(DescribeSecretCommand, { SecretId: SECRET }).resolves({ RotationEnabled, VersionIdsToStages: stages });
const groupStatus = (...statuses: string[]) => {
  const describe = elasticache.on(DescribeReplicationGroupsCommand, { ReplicationGroupId: "cache-group" });
  for (const Status of statuses) describe.resolvesOnce({ ReplicationGroups: [{ Status }] });
};

beforeEach(() => {
  process.env.REPLICATION_GROUP_ID = "cache-group";
  secrets.reset();
  elasticache.reset();
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  delete process.env.REPLICATION_GROUP_ID;
});

describe("rotate-cache-token", () => {
  it("createSecret stores a new 64-hex-digit token as AWSPENDING", async () => {
    staged();
    secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "no pending version", $metadata: {} }));
    await handler(step("createSecret"));
    const put = secrets.commandCalls(PutSecretValueCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ SecretId: SECRET, ClientRequestToken: "v2", VersionStages: ["AWSPENDING"] });
    expect(JSON.parse(put.SecretString!).token).toMatch(/^[0-9a-f]{64}$/);
  });

  it("createSecret keeps the token an earlier attempt stored", async () => {
    staged();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: "already-there" }) });
    await handler(step("createSecret"));
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it("setSecret waits for the group, then adds the pending token beside the current one", async () => {
    vi.useFakeTimers();
    staged();
    secrets.on(GetSecretValueCommand, { SecretId: SECRET, VersionId: "v2", VersionStage: "AWSPENDING" }).resolves({ SecretString: JSON.stringify({ token: "next-token" }) });
    groupStatus("modifying", "available");
    const done = handler(step("setSecret"));
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await done;
    expect(elasticache.commandCalls(DescribeReplicationGroupsCommand)).toHaveLength(2);
    expect(elasticache.commandCalls(ModifyReplicationGroupCommand)[0]!.args[0].input).toEqual({
      ReplicationGroupId: "cache-group",
      AuthToken: "next-token",
      AuthTokenUpdateStrategy: "ROTATE",
      ApplyImmediately: true,
    });
  });

  it("testSecret fails when the group never becomes available", async () => {
    vi.useFakeTimers();
    staged();
    elasticache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{ Status: "modifying" }] });
    const done = expect(handler(step("testSecret"))).rejects.toThrow(/cache-group did not become available/);
    await vi.runAllTimersAsync();
    await done;
  });

  it("finishSecret moves AWSCURRENT to the new version", async () => {
    staged();
    await handler(step("finishSecret"));
    expect(secrets.commandCalls(UpdateSecretVersionStageCommand)[0]!.args[0].input).toEqual({
      SecretId: SECRET,
      VersionStage: "AWSCURRENT",
      MoveToVersionId: "v2",
      RemoveFromVersionId: "v1",
    });
  });

  it("does nothing for a version that is already current", async () => {
    staged({ v2: ["AWSCURRENT"] });
    await handler(step("finishSecret"));
    await handler(step("setSecret"));
    expect(secrets.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
    expect(elasticache.calls()).toHaveLength(0);
  });

  it("refuses a secret without rotation, a version not staged, and a version that is not pending", async () => {
    staged(undefined, false);
    await expect(handler(step("createSecret"))).rejects.toThrow(/rotation is not enabled/);
    staged({ v1: ["AWSCURRENT"] });
    await expect(handler(step("createSecret"))).rejects.toThrow(/is not staged for rotation/);
    staged({ v1: ["AWSCURRENT"], v2: ["AWSPREVIOUS"] });
    await expect(handler(step("createSecret"))).rejects.toThrow(/is not AWSPENDING/);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});
