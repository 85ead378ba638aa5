import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import * as fake from "./support/fake-cache";

vi.mock("iovalkey", () => fake.iovalkey);

const ddb = mockClient(DynamoDBDocumentClient);
let items: typeof import("../lambda/items/index.js");

const ITEM = { id: "i-1", name: "lamp", price: 12, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", updatedBy: "u-1", version: 1 };
const request = (overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent =>
  ({ pathParameters: { id: "i-1" }, requestContext: { authorizer: { claims: { sub: "u-9" } } }, body: null, queryStringParameters: null, ...overrides }) as unknown as APIGatewayProxyEvent;

beforeEach(async () => {
  process.env.TABLE_NAME = "items";
  ddb.reset();
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  // a new execution environment for each test: no cache connection yet
  vi.resetModules();
  items = await import("../lambda/items/index.js");
});
afterEach(() => {
  vi.restoreAllMocks();
  fake.removeCache();
});

describe("GET /items/{id} with the read-through cache", () => {
  beforeEach(() => fake.serveCache());

  it("loads a miss from the table and caches it for about the TTL; the next read does not touch the table", async () => {
    ddb.on(GetCommand, { TableName: "items", Key: { id: "i-1" } }).resolves({ Item: ITEM });
    const first = await items.get(request());
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toEqual(ITEM);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
    const cached = fake.server.entries.get("item:i-1")!;
    expect(JSON.parse(cached.value)).toEqual(ITEM);
    expect(cached.ttlSeconds).toBeGreaterThanOrEqual(items.ITEM_TTL_SECONDS * 0.9);
    expect(cached.ttlSeconds).toBeLessThanOrEqual(items.ITEM_TTL_SECONDS * 1.1);

    const second = await items.get(request());
    expect(JSON.parse(second.body)).toEqual(ITEM);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });

  it("answers 404 for a missing item and caches nothing", async () => {
    ddb.on(GetCommand).resolves({});
    expect((await items.get(request())).statusCode).toBe(404);
    expect(fake.server.entries.size).toBe(0);
  });

  it("deletes the cached item after an update, so the next read sees the new version", async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: ITEM }).resolves({ Item: { ...ITEM, name: "desk lamp", version: 2 } });
    ddb.on(UpdateCommand).resolves({ Attributes: { ...ITEM, name: "desk lamp", version: 2 } });
    await items.get(request());
    const updated = await items.update(request({ body: JSON.stringify({ name: "desk lamp", expectedVersion: 1 }) }));
    expect(updated.statusCode).toBe(200);
    expect(fake.server.entries.has("item:i-1")).toBe(false);
    expect(JSON.parse((await items.get(request())).body)).toMatchObject({ name: "desk lamp", version: 2 });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(2);
  });

  it("deletes the cached item after a delete, and only after the table said yes", async () => {
    ddb.on(GetCommand).resolves({ Item: ITEM });
    await items.get(request());
    ddb.on(DeleteCommand).rejectsOnce(new ConditionalCheckFailedException({ message: "no such item", $metadata: {} }));
    expect((await items.remove(request())).statusCode).toBe(404);
    expect(fake.server.entries.has("item:i-1")).toBe(true);

    ddb.on(DeleteCommand).resolves({});
    expect((await items.remove(request())).statusCode).toBe(204);
    expect(fake.server.entries.has("item:i-1")).toBe(false);
  });

  it("keeps serving from the table when the cache is down", async () => {
    fake.server.down = true;
    ddb.on(GetCommand).resolves({ Item: ITEM });
    expect((await items.get(request())).statusCode).toBe(200);
    expect((await items.get(request())).statusCode).toBe(200);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(2);
  });
});

describe("items without a cache", () => {
  it("reads every GET from the table", async () => {
    ddb.on(GetCommand).resolves({ Item: ITEM });
    await items.get(request());
    await items.get(request());
    expect(ddb.commandCalls(GetCommand)).toHaveLength(2);
    expect(fake.server.clients).toHaveLength(0);
  });

  it("creates an item with a new id, the caller and version 1, only if the id is free", async () => {
    ddb.on(PutCommand).resolves({});
    const created = await items.create(request({ pathParameters: null, body: JSON.stringify({ name: "chair", price: 40 }) }));
    expect(created.statusCode).toBe(201);
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.ConditionExpression).toBe("attribute_not_exists(id)");
    expect(put.Item).toMatchObject({ name: "chair", price: 40, updatedBy: "u-9", version: 1 });
    expect(put.Item!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(created.body).id).toBe(put.Item!.id);
    expect((await items.create(request({ body: "not json" }))).statusCode).toBe(400);
  });

  it("updates only the version the client read, and answers 409 otherwise", async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: "changed", $metadata: {} }));
    const stale = await items.update(request({ body: JSON.stringify({ name: "lamp", expectedVersion: 3 }) }));
    expect(stale.statusCode).toBe(409);
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe("attribute_exists(id) AND version = :expected");
    expect(input.ExpressionAttributeValues).toMatchObject({ ":expected": 3, ":by": "u-9" });
  });

  it("pages through the list with an opaque cursor, at most 100 at a time", async () => {
    ddb.on(ScanCommand).resolves({ Items: [ITEM], LastEvaluatedKey: { id: "i-1" } });
    const page = await items.list(request({ queryStringParameters: { limit: "500" } }));
    const { next } = JSON.parse(page.body) as { next: string };
    expect(ddb.commandCalls(ScanCommand)[0]!.args[0].input.Limit).toBe(100);
    await items.list(request({ queryStringParameters: { cursor: next } }));
    expect(ddb.commandCalls(ScanCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ id: "i-1" });
  });
});
