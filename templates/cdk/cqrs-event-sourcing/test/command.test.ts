import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../lambda/command/index";
import { apiRequest, useEnv } from "./support/lambda-events";

const ddb = mockClient(DynamoDBClient);
const command = (body: unknown, accountId = "acc-1") => apiRequest({ method: "POST", pathParameters: { accountId }, body: typeof body === "string" ? body : JSON.stringify(body), requestId: "req-7" });
const stored = (version: number, type: string, payload: Record<string, unknown>) => ({
  aggregateId: { S: "acc-1" },
  version: { N: String(version) },
  type: { S: type },
  payload: { S: JSON.stringify(payload) },
});
const answer = async (body: unknown, accountId?: string) => {
  const result = await handler(command(body, accountId));
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
};

useEnv({ EVENT_TABLE: "events" });
beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(PutItemCommand).resolves({});
});

describe("the command handler", () => {
  it("opens a new account: one conditional put of version 1, answered with 202", async () => {
    expect(await answer({ type: "OpenAccount", owner: " Ada " })).toEqual({ status: 202, body: { accountId: "acc-1", version: 1, event: "AccountOpened" } });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ TableName: "events", ExpressionAttributeValues: { ":id": { S: "acc-1" } }, ConsistentRead: true });
    const put = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(put.TableName).toBe("events");
    expect(put.ConditionExpression).toBe("attribute_not_exists(#version)");
    expect(put.Item).toMatchObject({ aggregateId: { S: "acc-1" }, version: { N: "1" }, type: { S: "AccountOpened" }, payload: { S: '{"owner":"Ada"}' }, requestId: { S: "req-7" } });
  });

  it("reads every page of the account's events before deciding", async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [stored(1, "AccountOpened", { owner: "Ada" })], LastEvaluatedKey: { aggregateId: { S: "acc-1" }, version: { N: "1" } } })
      .resolvesOnce({ Items: [stored(2, "MoneyDeposited", { amount: 500 })] });
    expect(await answer({ type: "Withdraw", amount: 200, expectedVersion: 2 })).toEqual({ status: 202, body: { accountId: "acc-1", version: 3, event: "MoneyWithdrawn" } });
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey);
    expect(queries).toEqual([undefined, { aggregateId: { S: "acc-1" }, version: { N: "1" } }]);
  });

  it("answers 409 when another command appended the same version first", async () => {
    ddb.on(QueryCommand).resolves({ Items: [stored(1, "AccountOpened", { owner: "Ada" })] });
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: "exists", $metadata: {} }));
    expect(await answer({ type: "Deposit", amount: 5 })).toEqual({ status: 409, body: { message: expect.stringMatching(/changed while the command ran/), version: 1 } });
  });

  it("answers 422 and writes nothing when the account's rules refuse the command", async () => {
    ddb.on(QueryCommand).resolves({ Items: [stored(1, "AccountOpened", { owner: "Ada" }), stored(2, "MoneyDeposited", { amount: 100 })] });
    expect(await answer({ type: "Withdraw", amount: 101 })).toEqual({ status: 422, body: { message: "the balance is 100, less than 101", version: 2 } });
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it("answers 400 to a bad request without reading the event store", async () => {
    expect((await answer("{not json")).status).toBe(400);
    expect((await answer({ type: "Deposit", amount: 5 }, "acc 1")).status).toBe(400);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("fails the invocation on any other DynamoDB error, so API Gateway answers 5xx", async () => {
    ddb.on(PutItemCommand).rejects(new Error("ProvisionedThroughputExceededException"));
    await expect(handler(command({ type: "OpenAccount", owner: "Ada" }))).rejects.toThrow("ProvisionedThroughputExceededException");
  });
});
