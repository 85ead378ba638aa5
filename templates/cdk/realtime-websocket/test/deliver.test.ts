import { ApiGatewayManagementApiClient, GoneException, LimitExceededException, PayloadTooLargeException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DeleteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_ATTEMPTS } from "../lambda/realtime/delivery";
import { handler } from "../lambda/realtime/deliver";
import type { DeliveryWork, RoomMessage } from "../lambda/realtime/rooms";
import { sqsBatch, useEnv } from "./support/lambda-events";

const api = mockClient(ApiGatewayManagementApiClient);
const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const DELIVERIES = "https://sqs.us-east-1.amazonaws.com/111122223333/deliveries";
const DEAD_LETTERS = "https://sqs.us-east-1.amazonaws.com/111122223333/dead-letters";
const payload: RoomMessage = { type: "message", room: "lobby", from: "u-1", text: "hi", id: "m-1", at: "2030-03-17T17:46:40.000Z" };
const deliver = (connections: string[], attempt = 0) => handler(sqsBatch(JSON.stringify({ room: "lobby", payload, connections, attempt } satisfies DeliveryWork)));
const meta = (httpStatusCode: number) => ({ message: String(httpStatusCode), $metadata: { httpStatusCode } });

useEnv({ TABLE_NAME: "realtime", DELIVERY_QUEUE_URL: DELIVERIES, DEAD_LETTER_QUEUE_URL: DEAD_LETTERS });
beforeEach(() => {
  api.reset();
  db.reset();
  sqs.reset();
  api.on(PostToConnectionCommand).resolves({});
  api.on(PostToConnectionCommand, { ConnectionId: "gone" }).rejects(new GoneException(meta(410)));
  api.on(PostToConnectionCommand, { ConnectionId: "busy" }).rejects(new LimitExceededException(meta(429)));
  api.on(PostToConnectionCommand, { ConnectionId: "huge" }).rejects(new PayloadTooLargeException(meta(413)));
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});

describe("the delivery worker", () => {
  it("posts the message to every connection of the batch", async () => {
    const connections = Array.from({ length: 25 }, (_, i) => `c${i}`);
    expect(await deliver(connections)).toEqual({ batchItemFailures: [] });
    const posts = api.commandCalls(PostToConnectionCommand).map((c) => c.args[0].input);
    expect(posts.map((p) => p.ConnectionId)).toEqual(connections);
    expect(JSON.parse(Buffer.from(posts[0]!.Data as Uint8Array).toString("utf8"))).toEqual(payload);
    expect(db.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it("deletes the membership and the connection of a closed connection (410)", async () => {
    await deliver(["c1", "gone"]);
    expect(db.commandCalls(DeleteCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: "realtime", Key: { pk: "room#lobby", sk: "conn#gone" } },
      { TableName: "realtime", Key: { pk: "conn#gone", sk: "conn" } },
    ]);
  });

  it("puts throttled connections back on the delivery queue, alone and later, and drops what can never be delivered", async () => {
    await deliver(["c1", "busy", "huge"], 1);
    const retry = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(retry.QueueUrl).toBe(DELIVERIES);
    expect(JSON.parse(retry.MessageBody!)).toEqual({ room: "lobby", payload, connections: ["busy"], attempt: 2 });
    expect(retry.DelaySeconds).toBeGreaterThanOrEqual(1);
    expect(retry.DelaySeconds).toBeLessThanOrEqual(4);
    expect(db.calls()).toHaveLength(0);
  });

  it("records a connection in the dead-letter queue after the last attempt", async () => {
    await deliver(["busy"], MAX_ATTEMPTS - 1);
    const last = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(last.QueueUrl).toBe(DEAD_LETTERS);
    expect(JSON.parse(last.MessageBody!)).toMatchObject({ connections: ["busy"], attempt: MAX_ATTEMPTS });
    expect(last.DelaySeconds).toBeUndefined();
  });

  it("reports the message when re-queueing fails, so SQS delivers the batch again", async () => {
    sqs.on(SendMessageCommand).rejects(new Error("KMS.ThrottlingException"));
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await deliver(["busy"])).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }] });
  });
});
