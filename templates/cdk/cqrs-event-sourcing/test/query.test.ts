import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../lambda/query/index";
import { apiRequest, useEnv } from "./support/lambda-events";

const ddb = mockClient(DynamoDBClient);
const query = async (accountId: string) => {
  const result = await handler(apiRequest({ pathParameters: { accountId } }));
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
};

useEnv({ VIEW_TABLE: "views" });
beforeEach(() => {
  ddb.reset();
});

describe("the query handler", () => {
  it("answers with the account's summary from the read model, numbers as numbers", async () => {
    ddb.on(GetItemCommand, { TableName: "views", Key: { accountId: { S: "acc-1" } } }).resolves({
      Item: { accountId: { S: "acc-1" }, version: { N: "3" }, owner: { S: "Ada" }, balance: { N: "380" }, status: { S: "open" }, openedAt: { S: "t1" }, updatedAt: { S: "t3" } },
    });
    expect(await query("acc-1")).toEqual({ status: 200, body: { accountId: "acc-1", owner: "Ada", balance: 380, status: "open", version: 3, openedAt: "t1", updatedAt: "t3" } });
  });

  it("answers 404 for an account the read model does not have yet", async () => {
    ddb.on(GetItemCommand).resolves({});
    expect(await query("acc-2")).toMatchObject({ status: 404 });
  });

  it("answers 400 to a malformed id without reading the table", async () => {
    expect(await query("acc/1")).toMatchObject({ status: 400 });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(0);
  });
});
