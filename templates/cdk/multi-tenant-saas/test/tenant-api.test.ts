import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { AwsCredentialIdentity } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../lambda/tenant-api/index";
import { apiRequest, useEnv } from "./support/lambda-events";

const sts = mockClient(STSClient);
// every document client: the function's own (registry, usage) and the tenant-scoped ones
const db = mockClient(DynamoDBDocumentClient);

const TENANTS = { "acme-law": { tenantId: "acme-law", tier: "pool", status: "ACTIVE" }, "big-firm": { tenantId: "big-firm", tier: "silo", status: "ACTIVE" }, "gone-firm": { tenantId: "gone-firm", tier: "pool", status: "SUSPENDED" } };
const call = (tenantId: string | undefined, fields: Parameters<typeof apiRequest>[0] = {}) =>
  handler(apiRequest({ ...fields, claims: tenantId === undefined ? { sub: "user-1" } : { sub: "user-1", "custom:tenantId": tenantId } }), { awsRequestId: "req-1" });
const json = (result: { statusCode: number; body: string }) => ({ status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> });
/** The credentials a DynamoDB call was signed with. */
const credentialsOf = async (spyCall: { thisValue: unknown }) => {
  const provider = (spyCall.thisValue as DynamoDBDocumentClient).config.credentials as () => Promise<AwsCredentialIdentity>;
  return (await provider()).accessKeyId;
};

useEnv({
  TENANT_ROLE_ARN: "arn:aws:iam::111122223333:role/tenant-access",
  TENANTS_TABLE: "tenants",
  USAGE_TABLE: "usage",
  POOLED_TABLE: "items",
  SILO_PREFIX: "app-tenant-",
  // the function's own credentials, as the Lambda runtime sets them
  AWS_ACCESS_KEY_ID: "ASIA-FUNCTION",
  AWS_SECRET_ACCESS_KEY: "secret",
});
let now = Date.UTC(2026, 11, 6, 9);
vi.useFakeTimers({ toFake: ["Date"] });
beforeEach(() => {
  sts.reset();
  db.reset();
  // an hour on for each test: no registry entry or credentials cached by the one before
  now += 60 * 60_000;
  vi.setSystemTime(now);
  db.on(GetCommand).resolves({});
  for (const [tenantId, tenant] of Object.entries(TENANTS)) db.on(GetCommand, { TableName: "tenants", Key: { tenantId } }).resolves({ Item: tenant });
  db.on(UpdateCommand).resolves({});
  db.on(QueryCommand).resolves({ Items: [{ tenantId: "acme-law", itemId: "i-1", title: "Lease" }] });
  db.on(PutCommand).resolves({});
  sts.on(AssumeRoleCommand).callsFake(async () => ({
    Credentials: { AccessKeyId: "ASIA-TENANT", SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(Date.now() + 15 * 60_000) },
  }));
});
afterAll(() => {
  vi.useRealTimers();
});

describe("the tenant API", () => {
  it("refuses a token without a tenant, touching nothing", async () => {
    expect(json(await call(undefined))).toEqual({ status: 403, body: { message: "The token carries no tenant." } });
    expect(sts.calls()).toHaveLength(0);
    expect(db.calls()).toHaveLength(0);
  });

  it("lists a pool tenant's items from the pooled table, with credentials tagged with the tenant", async () => {
    expect(json(await call("acme-law", { query: { limit: "500" } }))).toEqual({ status: 200, body: { items: [{ tenantId: "acme-law", itemId: "i-1", title: "Lease" }] } });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({
      RoleArn: "arn:aws:iam::111122223333:role/tenant-access",
      RoleSessionName: "tenant-acme-law-req-1",
      DurationSeconds: 900,
      Tags: [{ Key: "TenantId", Value: "acme-law" }],
    });
    const query = db.commandCalls(QueryCommand)[0]!;
    expect(query.args[0].input).toEqual({ TableName: "items", KeyConditionExpression: "tenantId = :t", ExpressionAttributeValues: { ":t": "acme-law" }, Limit: 100 });
    expect(await credentialsOf(query)).toBe("ASIA-TENANT");
  });

  it("reads a silo tenant's items from its own table", async () => {
    db.on(GetCommand, { TableName: "app-tenant-big-firm" }).resolves({ Item: { tenantId: "big-firm", itemId: "i-9", title: "Merger" } });
    expect(json(await call("big-firm", { pathParameters: { id: "i-9" } }))).toMatchObject({ status: 200, body: { itemId: "i-9" } });
    expect(db.commandCalls(GetCommand).map((c) => c.args[0].input)).toContainEqual({ TableName: "app-tenant-big-firm", Key: { tenantId: "big-firm", itemId: "i-9" } });
  });

  it("answers 404 for an item the tenant does not have", async () => {
    db.on(GetCommand, { TableName: "items" }).resolves({});
    expect(json(await call("acme-law", { pathParameters: { id: "i-404" } }))).toMatchObject({ status: 404 });
  });

  it("creates an item under the caller's tenant and a new id, whatever the body claims", async () => {
    const created = json(await call("acme-law", { method: "POST", body: JSON.stringify({ title: "Lease", tenantId: "big-firm", itemId: "mine" }) }));
    expect(created.status).toBe(201);
    const put = db.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.TableName).toBe("items");
    expect(put.Item).toEqual({ title: "Lease", tenantId: "acme-law", itemId: expect.stringMatching(/^[0-9a-f-]{36}$/), createdAt: new Date(now).toISOString() });
    expect(put.ConditionExpression).toBe("attribute_not_exists(itemId)");
    expect(created.body).toEqual(put.Item);
  });

  it("answers 400 to a body that is not a new item, writing nothing", async () => {
    for (const body of ["{not json", "null", JSON.stringify({ body: "no title" }), JSON.stringify({ title: "x".repeat(201) })]) {
      expect(json(await call("acme-law", { method: "POST", body })).status, body).toBe(400);
    }
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });

  it("refuses a tenant that is not active, without assuming its role", async () => {
    expect(json(await call("gone-firm"))).toEqual({ status: 403, body: { message: "The tenant is not active." } });
    expect(json(await call("no-such-firm"))).toMatchObject({ status: 403 });
    expect(sts.calls()).toHaveLength(0);
  });

  it("meters every request of a tenant per day, with the function's own role", async () => {
    await call("acme-law");
    await call("gone-firm");
    const updates = db.commandCalls(UpdateCommand);
    expect(updates.map((u) => u.args[0].input.Key)).toEqual([
      { tenantId: "acme-law", period: new Date(now).toISOString().slice(0, 10) },
      { tenantId: "gone-firm", period: new Date(now).toISOString().slice(0, 10) },
    ]);
    expect(updates[0]!.args[0].input).toMatchObject({ TableName: "usage", UpdateExpression: "ADD requests :one, durationMs :ms" });
    expect(await credentialsOf(updates[0]!)).toBe("ASIA-FUNCTION");
  });

  it("still answers when metering fails", async () => {
    db.on(UpdateCommand).rejects(new Error("ThrottlingException"));
    const silence = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(json(await call("acme-law")).status).toBe(200);
    expect(silence).toHaveBeenCalledWith(expect.stringContaining("metering failed"));
    silence.mockRestore();
  });

  it("assumes the tenant's role once, until a minute before its credentials expire", async () => {
    await call("acme-law");
    vi.setSystemTime(now + 13 * 60_000);
    await call("acme-law");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    vi.setSystemTime(now + 14 * 60_000 + 1);
    await call("acme-law");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });
});
