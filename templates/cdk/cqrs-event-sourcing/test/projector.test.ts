import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../lambda/projector/index";
import { useEnv } from "./support/lambda-events";

const ddb = mockClient(DynamoDBClient);
const at = "2026-11-21T12:00:00.000Z";
/** Stream records of events of acc-1; each record's sequence number is `seq-<version>`. */
const batch = (...events: [version: number, type: string, payload: Record<string, unknown>][]): DynamoDBStreamEvent => ({
  Records: events.map(([version, type, payload]) => ({
    eventID: `e${version}`,
    eventName: "INSERT",
    dynamodb: {
      SequenceNumber: `seq-${version}`,
      NewImage: { aggregateId: { S: "acc-1" }, version: { N: String(version) }, type: { S: type }, payload: { S: JSON.stringify(payload) }, recordedAt: { S: at } },
    },
  })),
});
const view = (version: number, balance: number) => ({
  Item: { accountId: { S: "acc-1" }, version: { N: String(version) }, owner: { S: "Ada" }, balance: { N: String(balance) }, status: { S: "open" }, openedAt: { S: at }, updatedAt: { S: at } },
});

useEnv({ VIEW_TABLE: "views" });
beforeEach(() => {
  ddb.reset();
  ddb.on(PutItemCommand).resolves({});
});

describe("the projector", () => {
  it("creates the view from an account's first event, only if no view exists yet", async () => {
    ddb.on(GetItemCommand).resolves({});
    expect(await handler(batch([1, "AccountOpened", { owner: "Ada" }]))).toEqual({ batchItemFailures: [] });
    const put = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ TableName: "views", ConditionExpression: "attribute_not_exists(accountId)" });
    expect(put.Item).toMatchObject({ accountId: { S: "acc-1" }, version: { N: "1" }, owner: { S: "Ada" }, balance: { N: "0" }, status: { S: "open" } });
  });

  it("updates the view only if it is still at the version it read", async () => {
    ddb.on(GetItemCommand).resolves(view(1, 0));
    await handler(batch([2, "MoneyDeposited", { amount: 500 }]));
    const put = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(put.Item).toMatchObject({ version: { N: "2" }, balance: { N: "500" } });
    expect(put.ExpressionAttributeValues).toEqual({ ":previous": { N: "1" } });
  });

  it("skips an event the view already shows (a retried batch)", async () => {
    ddb.on(GetItemCommand).resolves(view(2, 500));
    expect(await handler(batch([2, "MoneyDeposited", { amount: 500 }]))).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it("stops at a gap and reports that record, so Lambda retries from it in order", async () => {
    ddb.on(GetItemCommand).resolves(view(1, 0));
    expect(await handler(batch([3, "MoneyDeposited", { amount: 5 }], [4, "MoneyDeposited", { amount: 6 }]))).toEqual({ batchItemFailures: [{ itemIdentifier: "seq-3" }] });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(1);
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it("re-reads once after losing a race with another delivery, then skips what that delivery applied", async () => {
    ddb.on(GetItemCommand).resolvesOnce(view(1, 0)).resolvesOnce(view(2, 500));
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: "moved on", $metadata: {} }));
    expect(await handler(batch([2, "MoneyDeposited", { amount: 500 }]))).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(2);
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(1);
  });

  it("reports a record that is not an event", async () => {
    const broken = batch([1, "AccountOpened", { owner: "Ada" }]);
    delete broken.Records[0]!.dynamodb!.NewImage!.type;
    expect(await handler(broken)).toEqual({ batchItemFailures: [{ itemIdentifier: "seq-1" }] });
  });
});
