import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { handler, PAGES_PER_RUN } from "../lambda/realtime/fanout";
import type { DeliveryWork, RoomMessage } from "../lambda/realtime/rooms";
import { sqsBatch, useEnv } from "./support/lambda-events";

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const NOW = 1_900_000_000; // seconds
const ROOMS = "https://sqs.us-east-1.amazonaws.com/111122223333/rooms";
const DELIVERIES = "https://sqs.us-east-1.amazonaws.com/111122223333/deliveries";
const payload: RoomMessage = { type: "message", room: "lobby", from: "u-1", text: "hi", id: "m-1", at: "2030-03-17T17:46:40.000Z" };
const members = (count: number, expiresAt = NOW + 60) => Array.from({ length: count }, (_, i) => ({ sk: `conn#c${i}`, expiresAt }));
/** The delivery batches queued, in order. */
const queued = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!) as DeliveryWork));

useEnv({ TABLE_NAME: "realtime", ROOM_QUEUE_URL: ROOMS, DELIVERY_QUEUE_URL: DELIVERIES });
vi.useFakeTimers({ toFake: ["Date"] });
beforeEach(() => {
  vi.setSystemTime(NOW * 1000);
  db.reset();
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});

describe("the fan-out planner", () => {
  it("splits a room's live members into delivery batches of 100 on the delivery queue", async () => {
    db.on(QueryCommand).resolves({ Items: [...members(250), ...members(5, NOW - 1)] });
    expect(await handler(sqsBatch(JSON.stringify({ room: "lobby", payload })))).toEqual({ batchItemFailures: [] });
    expect(db.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ TableName: "realtime", ExpressionAttributeValues: { ":room": "room#lobby", ":now": NOW } });
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.QueueUrl).toBe(DELIVERIES);
    const batches = queued();
    expect(batches.map((b) => b.connections.length)).toEqual([100, 100, 50]);
    expect(batches[0]).toEqual({ room: "lobby", payload, connections: members(100).map((m) => m.sk.slice(5)), attempt: 0 });
    // expired memberships TTL has not deleted yet get nothing
    expect(batches.flatMap((b) => b.connections)).not.toContain("c250");
  });

  it("queues at most ten batches a call, the SQS limit", async () => {
    db.on(QueryCommand).resolves({ Items: members(1000) });
    await handler(sqsBatch(JSON.stringify({ room: "lobby", payload })));
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10]);
    db.on(QueryCommand).resolves({ Items: members(1001) });
    await handler(sqsBatch(JSON.stringify({ room: "lobby", payload })));
    expect(sqs.commandCalls(SendMessageBatchCommand).slice(1).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 1]);
  });

  it("hands a room larger than one run to a follow-up room message that carries the page cursor", async () => {
    db.on(QueryCommand).callsFake(async (input: { ExclusiveStartKey?: { sk: string } }) => ({ Items: members(1), LastEvaluatedKey: { pk: "room#lobby", sk: `${input.ExclusiveStartKey?.sk ?? ""}+` } }));
    await handler(sqsBatch(JSON.stringify({ room: "lobby", payload, cursor: { pk: "room#lobby", sk: "start" } })));
    const queries = db.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey);
    expect(queries).toHaveLength(PAGES_PER_RUN);
    expect(queries[0]).toEqual({ pk: "room#lobby", sk: "start" });
    const follow = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(follow.QueueUrl).toBe(ROOMS);
    expect(JSON.parse(follow.MessageBody!)).toEqual({ room: "lobby", payload, cursor: { pk: "room#lobby", sk: `start${"+".repeat(PAGES_PER_RUN)}` } });
  });

  it("reports a message whose batches SQS did not take, or whose body is not JSON, so only it is retried", async () => {
    db.on(QueryCommand).resolves({ Items: members(3) });
    sqs.on(SendMessageBatchCommand).resolvesOnce({ Successful: [], Failed: [{ Id: "0", SenderFault: false, Code: "InternalError" }] }).resolves({ Successful: [], Failed: [] });
    const result = await handler(sqsBatch(JSON.stringify({ room: "lobby", payload }), JSON.stringify({ room: "lobby", payload }), "{"));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }, { itemIdentifier: "m2" }] });
  });
});
