import { ExecuteStatementCommand, RDSDataClient } from "@aws-sdk/client-rds-data";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import * as fake from "./support/fake-cache";

vi.mock("iovalkey", () => fake.iovalkey);

const rds = mockClient(RDSDataClient);
let fn: typeof import("../lambda/read-through/index.js");
const statements = () => rds.commandCalls(ExecuteStatementCommand).map(({ args: [c] }) => c.input.sql!.split(" ").slice(0, 2).join(" "));
/** Aurora holds one row, item 42. */
const holdRow = () =>
  rds.on(ExecuteStatementCommand).callsFake((input: { sql: string }) =>
    input.sql.startsWith("SELECT") ? { formattedRecords: JSON.stringify([{ body: JSON.stringify({ name: "answer" }) }]) } : {},
  );

beforeEach(async () => {
  Object.assign(process.env, { CLUSTER_ARN: "arn:aws:rds:us-east-1:111122223333:cluster:items", DB_SECRET_ARN: "arn:db-secret", DB_NAME: "app", TTL_SECONDS: "120" });
  rds.reset();
  fake.serveCache();
  vi.resetModules();
  fn = await import("../lambda/read-through/index.js");
});
afterEach(() => fake.removeCache());

describe("read-through function", () => {
  it("loads a miss from Aurora, caches it for about TTL_SECONDS, and answers the next get from the cache", async () => {
    holdRow();
    expect(await fn.handler({ action: "get", id: "42" })).toEqual({ statusCode: 200, id: "42", source: "database", item: { name: "answer" } });
    const entry = fake.server.entries.get("item:42")!;
    expect(entry.ttlSeconds).toBeGreaterThanOrEqual(108);
    expect(entry.ttlSeconds).toBeLessThanOrEqual(132);
    expect(await fn.handler({ action: "get", id: "42" })).toEqual({ statusCode: 200, id: "42", source: "cache", item: { name: "answer" } });
    expect(statements()).toEqual(["CREATE TABLE", "SELECT body::text"]);
  });

  it("writes the database first, then deletes the cached key", async () => {
    holdRow();
    await fn.handler({ action: "get", id: "42" });
    expect(await fn.handler({ action: "put", id: "42", item: { name: "new answer" } })).toEqual({ statusCode: 200, id: "42" });
    expect(fake.server.entries.has("item:42")).toBe(false);
    const insert = rds.commandCalls(ExecuteStatementCommand)[2]!.args[0].input;
    expect(insert.parameters).toEqual([{ name: "id", value: { stringValue: "42" } }, { name: "body", value: { stringValue: '{"name":"new answer"}' } }]);

    await fn.handler({ action: "get", id: "42" });
    await fn.handler({ action: "delete", id: "42" });
    expect(fake.server.entries.has("item:42")).toBe(false);
    expect(statements()).toEqual(["CREATE TABLE", "SELECT body::text", "INSERT INTO", "SELECT body::text", "DELETE FROM"]);
  });

  it("answers 404 for a missing row and caches nothing", async () => {
    rds.on(ExecuteStatementCommand).resolves({ formattedRecords: "[]" });
    expect(await fn.handler({ action: "get", id: "7" })).toEqual({ statusCode: 404, id: "7" });
    expect(fake.server.entries.size).toBe(0);
  });

  it("refuses a bad id before touching the database, and a bad action or item before touching the items", async () => {
    rds.on(ExecuteStatementCommand).resolves({});
    expect(await fn.handler({ action: "get", id: "../etc" })).toMatchObject({ statusCode: 400 });
    expect(await fn.handler({ action: "put", id: "1", item: "text" })).toMatchObject({ statusCode: 400 });
    expect(await fn.handler({ action: "drop", id: "1" })).toMatchObject({ statusCode: 400, error: "action must be get, put or delete" });
    expect(statements()).toEqual(["CREATE TABLE"]);
  });

  it("creates the table again on the next call when the first attempt failed", async () => {
    rds.on(ExecuteStatementCommand).rejectsOnce(new Error("DatabaseResumingException")).resolves({ formattedRecords: "[]" });
    await expect(fn.handler({ action: "get", id: "1" })).rejects.toThrow("DatabaseResumingException");
    await fn.handler({ action: "get", id: "1" });
    expect(statements()).toEqual(["CREATE TABLE", "CREATE TABLE", "SELECT body::text"]);
  });
});
