import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { EXPIRY_MARGIN_SECONDS, MAX_CONNECTION_SECONDS } from "../lambda/realtime/rooms";
import { connect, disconnect, fallback, join, leave, type RouteEvent, send } from "../lambda/realtime/routes";
import { useEnv } from "./support/lambda-events";

const db = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const NOW = 1_900_000_000; // seconds
const CONNECTION = { pk: "conn#c-1", sk: "conn" };
/** A message on connection c-1 of user u-1 (groups depot-42), as API Gateway passes it after the authorizer. */
const message = (body?: unknown) =>
  ({ body: body === undefined ? undefined : JSON.stringify(body), requestContext: { connectionId: "c-1", authorizer: { userId: "u-1", groups: "depot-42" } } }) as unknown as RouteEvent;
const answer = async (result: Promise<{ body?: string }>) => JSON.parse((await result).body ?? "null") as Record<string, unknown>;

useEnv({ TABLE_NAME: "realtime", ROOM_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/111122223333/rooms" });
vi.useFakeTimers({ toFake: ["Date"] });
beforeEach(() => {
  vi.setSystemTime(NOW * 1000);
  db.reset();
  sqs.reset();
  db.on(GetCommand).resolves({});
  db.on(GetCommand, { Key: CONNECTION }).resolves({ Item: { ...CONNECTION, userId: "u-1", expiresAt: NOW + 100, rooms: new Set(["lobby", "depot-42:incidents"]) } });
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});

describe("the WebSocket routes", () => {
  it("$connect records the connection for its user, expiring after the longest a connection lives", async () => {
    expect(await connect(message())).toEqual({ statusCode: 200 });
    expect(db.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: "realtime",
      Item: { ...CONNECTION, userId: "u-1", connectedAt: NOW, expiresAt: NOW + MAX_CONNECTION_SECONDS + EXPIRY_MARGIN_SECONDS },
    });
  });

  it("$disconnect removes every membership the connection recorded, then the connection", async () => {
    await disconnect(message());
    expect(db.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: "room#lobby", sk: "conn#c-1" },
      { pk: "room#depot-42:incidents", sk: "conn#c-1" },
      CONNECTION,
    ]);
  });

  it("join records the room on the connection (at most 20) and a membership that expires with it", async () => {
    expect(await answer(join(message({ action: "join", room: "depot-42:incidents" })))).toEqual({ type: "joined", room: "depot-42:incidents" });
    const update = db.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update).toMatchObject({ Key: CONNECTION, UpdateExpression: "ADD #rooms :room", ExpressionAttributeValues: { ":room": new Set(["depot-42:incidents"]), ":max": 20 } });
    expect(db.commandCalls(PutCommand)[0]!.args[0].input.Item).toEqual({ pk: "room#depot-42:incidents", sk: "conn#c-1", userId: "u-1", expiresAt: NOW + 100 });
  });

  it("join refuses a room the caller may not join, and a 21st room, writing no membership", async () => {
    expect(await answer(join(message({ room: "depot-7:incidents" })))).toEqual({ type: "error", error: "not allowed to join depot-7:incidents" });
    db.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: "too many", $metadata: {} }));
    expect(await answer(join(message({ room: "lobby" })))).toEqual({ type: "error", error: "at most 20 rooms per connection" });
    expect(db.commandCalls(PutCommand)).toHaveLength(0);
  });

  it("leave deletes the membership and the room from the connection", async () => {
    expect(await answer(leave(message({ room: "lobby" })))).toEqual({ type: "left", room: "lobby" });
    expect(db.commandCalls(DeleteCommand)[0]!.args[0].input.Key).toEqual({ pk: "room#lobby", sk: "conn#c-1" });
    expect(db.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({ Key: CONNECTION, UpdateExpression: "DELETE #rooms :room" });
  });

  it("send queues a member's message for the room, from the caller the authorizer named", async () => {
    db.on(GetCommand, { Key: { pk: "room#lobby", sk: "conn#c-1" } }).resolves({ Item: { userId: "u-1", expiresAt: NOW + 100 } });
    expect(await answer(send(message({ action: "send", room: "lobby", text: "hello", clientMessageId: "m-7", from: "someone-else" })))).toEqual({ type: "accepted", id: "m-7" });
    const queued = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(queued.QueueUrl).toBe("https://sqs.us-east-1.amazonaws.com/111122223333/rooms");
    expect(JSON.parse(queued.MessageBody!)).toEqual({ room: "lobby", payload: { type: "message", room: "lobby", from: "u-1", text: "hello", id: "m-7", at: new Date(NOW * 1000).toISOString() } });
  });

  it("send refuses a connection that has not joined the room (or whose membership expired), and a message without text", async () => {
    expect(await answer(send(message({ room: "lobby", text: "hello" })))).toEqual({ type: "error", error: "join lobby before sending to it" });
    db.on(GetCommand, { Key: { pk: "room#lobby", sk: "conn#c-1" } }).resolves({ Item: { userId: "u-1", expiresAt: NOW - 1 } });
    expect(await answer(send(message({ room: "lobby", text: "hello" })))).toMatchObject({ type: "error" });
    expect(await answer(send(message({ room: "lobby" })))).toEqual({ type: "error", error: "text is required" });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("answers a message it cannot read, or an unknown action, with an error", async () => {
    expect(await answer(join({ ...message(), body: "not json" } as RouteEvent))).toEqual({ type: "error", error: "the message is not JSON" });
    expect(await answer(fallback())).toEqual({ type: "error", error: "unknown action; use join, leave or send" });
    expect(db.calls()).toHaveLength(0);
  });
});
