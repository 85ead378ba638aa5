import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ExecuteStatementCommand, RDSDataClient } from "@aws-sdk/client-rds-data";
import type { ALBEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const ddb = mockClient(DynamoDBClient);
const rds = mockClient(RDSDataClient);
let api: typeof import("../lambda/api/index.js");

const ENV = { TABLE_NAME: "transfers", CLUSTER_ARN: "arn:aws:rds:us-east-1:111122223333:cluster:primary", SECRET_ARN: "arn:secret", DATABASE: "ledger", AWS_REGION: "us-east-1", REGION_ROLE: "primary" };
const TRANSFER_ID = "0b7e2c8a-9d51-4a7e-8f3c-2a6d1e4b5c90";
const call = (httpMethod: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api.handler({ httpMethod, path, headers, body: body === undefined ? null : JSON.stringify(body), isBase64Encoded: false } as ALBEvent);
const json = (result: { body?: string }) => JSON.parse(result.body ?? "null") as Record<string, unknown>;
const statements = () => rds.commandCalls(ExecuteStatementCommand).map(({ args: [c] }) => c.input.sql!.split(" ").slice(0, 2).join(" "));

beforeEach(async () => {
  Object.assign(process.env, ENV);
  ddb.reset();
  rds.reset();
  ddb.on(GetItemCommand).resolves({});
  rds.on(ExecuteStatementCommand).resolves({});
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  // a new execution environment: the schema has not been checked yet
  vi.resetModules();
  api = await import("../lambda/api/index.js");
});
afterEach(() => vi.restoreAllMocks());

describe("the region's API", () => {
  it("is healthy in the primary when the table replica and the writer answer", async () => {
    const result = await call("GET", "/health");
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ status: "ok", region: "us-east-1", role: "primary" });
    expect(statements()).toEqual(["SELECT 1"]);
  });

  it("stays healthy in the standby without asking for a writer it does not have yet", async () => {
    process.env.REGION_ROLE = "standby";
    rds.on(ExecuteStatementCommand).rejects(Object.assign(new Error("no writer"), { name: "DatabaseNotFoundException" }));
    expect((await call("GET", "/health")).statusCode).toBe(200);
    expect(statements()).toEqual([]);
  });

  it("records a transfer in Aurora, creating the table once", async () => {
    const created = await call("POST", "/transfers", { amountCents: 1250, currency: "EUR", reference: "rent" });
    expect(created.statusCode).toBe(201);
    const insert = rds.commandCalls(ExecuteStatementCommand)[1]!.args[0].input;
    expect(insert.parameters).toEqual([
      { name: "id", value: { stringValue: json(created).id } },
      { name: "amount", value: { longValue: 1250 } },
      { name: "currency", value: { stringValue: "EUR" } },
      { name: "reference", value: { stringValue: "rent" } },
    ]);
    await call("POST", "/transfers", { amountCents: 1, currency: "USD" });
    expect(statements()).toEqual(["CREATE TABLE", "INSERT INTO", "INSERT INTO"]);
  });

  it("refuses an amount that is not a positive whole number of cents, or a currency that is not ISO 4217", async () => {
    for (const body of [{ amountCents: 0, currency: "EUR" }, { amountCents: 12.5, currency: "EUR" }, { amountCents: 100, currency: "euro" }, {}]) {
      expect((await call("POST", "/transfers", body)).statusCode).toBe(400);
    }
    expect(statements()).toEqual([]);
  });

  it("returns the first transfer again for a retried idempotency key, even from the other Region", async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: "exists", $metadata: {} }));
    ddb.on(GetItemCommand, { Key: { pk: { S: "idem#pay-42" } } }).resolves({ Item: { pk: { S: "idem#pay-42" }, transferId: { S: TRANSFER_ID } } });
    const again = await call("POST", "/transfers", { amountCents: 500, currency: "GBP" }, { "idempotency-key": "pay-42" });
    expect(again.statusCode).toBe(200);
    expect(json(again)).toEqual({ id: TRANSFER_ID, replayed: true });
    expect(ddb.commandCalls(GetItemCommand)[0]!.args[0].input.ConsistentRead).toBe(true);
    expect(statements()).toEqual([]);
  });

  it("claims a new idempotency key for a day before writing the transfer", async () => {
    ddb.on(PutItemCommand).resolves({});
    const created = await call("POST", "/transfers", { amountCents: 500, currency: "GBP" }, { "idempotency-key": "pay-43" });
    const claim = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(claim.ConditionExpression).toBe("attribute_not_exists(pk)");
    expect(claim.Item).toMatchObject({ pk: { S: "idem#pay-43" }, transferId: { S: json(created).id } });
    expect(Number(claim.Item!.expiresAt!.N) - Date.now() / 1000).toBeCloseTo(24 * 3600, -2);
  });

  it("reads a transfer back, and answers 404 for an unknown id", async () => {
    const row = [{ stringValue: TRANSFER_ID }, { longValue: 1250 }, { stringValue: "EUR" }, { stringValue: "rent" }, { stringValue: "2026-12-01 10:00:00+00" }];
    rds.on(ExecuteStatementCommand).callsFake((input: { sql: string }) => (input.sql.startsWith("SELECT id::text") ? { records: [row] } : {}));
    const found = await call("GET", `/transfers/${TRANSFER_ID}`);
    expect(json(found)).toEqual({ id: TRANSFER_ID, amountCents: 1250, currency: "EUR", reference: "rent", createdAt: "2026-12-01 10:00:00+00" });
    rds.on(ExecuteStatementCommand).resolves({ records: [] });
    expect((await call("GET", `/transfers/${TRANSFER_ID}`)).statusCode).toBe(404);
    expect((await call("GET", "/transfers/not-a-uuid")).statusCode).toBe(404);
  });

  it("answers 503 while the database has no writer, so clients retry in the other Region, and 500 for anything else", async () => {
    rds.on(ExecuteStatementCommand).rejects(Object.assign(new Error("The database is read-only"), { name: "BadRequestException" }));
    expect((await call("POST", "/transfers", { amountCents: 1, currency: "EUR" })).statusCode).toBe(503);
    rds.on(ExecuteStatementCommand).rejects(Object.assign(new Error("resuming"), { name: "DatabaseResumingException" }));
    expect((await call("GET", `/transfers/${TRANSFER_ID}`)).statusCode).toBe(503);
    rds.on(ExecuteStatementCommand).rejects(new Error("syntax error at or near"));
    expect((await call("GET", `/transfers/${TRANSFER_ID}`)).statusCode).toBe(500);
  });
});
