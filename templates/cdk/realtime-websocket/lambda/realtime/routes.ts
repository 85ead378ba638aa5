// The WebSocket routes. $connect and $disconnect keep the connection item; join and leave keep room
// memberships (checked against mayJoin); send checks membership and puts the message on the room queue,
// from which the fan-out planner takes it. Every route knows the caller only from the authorizer's
// context. join, leave, send and $default answer the client through the route response.
import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { MAX_ROOMS, callerOf, connectionKey, expiresAt, mayJoin, membershipKey, parseClientMessage, roomMessage } from "./rooms.mjs";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
const { TABLE_NAME, ROOM_QUEUE_URL } = process.env;
const now = () => Math.floor(Date.now() / 1000);
const reply = (body) => ({ statusCode: 200, body: JSON.stringify(body) });
const log = (fields) => console.log(JSON.stringify(fields));

export async function connect(event) {
  const { userId } = callerOf(event);
  const connectionId = event.requestContext.connectionId;
  await db.send(new PutCommand({ TableName: TABLE_NAME, Item: { ...connectionKey(connectionId), userId, connectedAt: now(), expiresAt: expiresAt(now()) } }));
  log({ route: "$connect", connectionId, userId });
  return { statusCode: 200 };
}

// $disconnect is best effort: when it never arrives, the items expire on their own.
export async function disconnect(event) {
  const connectionId = event.requestContext.connectionId;
  const { Item } = await db.send(new GetCommand({ TableName: TABLE_NAME, Key: connectionKey(connectionId) }));
  for (const room of Item?.rooms ?? []) await db.send(new DeleteCommand({ TableName: TABLE_NAME, Key: membershipKey(room, connectionId) }));
  await db.send(new DeleteCommand({ TableName: TABLE_NAME, Key: connectionKey(connectionId) }));
  log({ route: "$disconnect", connectionId, rooms: Item?.rooms?.size ?? 0 });
  return { statusCode: 200 };
}

export async function join(event) {
  const caller = callerOf(event);
  const connectionId = event.requestContext.connectionId;
  const message = parseClientMessage(event.body);
  if ("error" in message) return reply({ type: "error", error: message.error });
  if (!mayJoin(caller, message.room)) return reply({ type: "error", error: `not allowed to join ${message.room}` });
  try {
    // the connection records the room (at most MAX_ROOMS of them), so $disconnect can remove the membership
    await db.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: connectionKey(connectionId),
        UpdateExpression: "ADD #rooms :room",
        ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(#rooms) OR size(#rooms) < :max)",
        ExpressionAttributeNames: { "#rooms": "rooms" },
        ExpressionAttributeValues: { ":room": new Set([message.room]), ":max": MAX_ROOMS },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return reply({ type: "error", error: `at most ${MAX_ROOMS} rooms per connection` });
    throw error;
  }
  const { Item } = await db.send(new GetCommand({ TableName: TABLE_NAME, Key: connectionKey(connectionId) }));
  await db.send(new PutCommand({ TableName: TABLE_NAME, Item: { ...membershipKey(message.room, connectionId), userId: caller.userId, expiresAt: Item?.expiresAt ?? expiresAt(now()) } }));
  log({ route: "join", connectionId, room: message.room });
  return reply({ type: "joined", room: message.room });
}

export async function leave(event) {
  const connectionId = event.requestContext.connectionId;
  const message = parseClientMessage(event.body);
  if ("error" in message) return reply({ type: "error", error: message.error });
  await db.send(new DeleteCommand({ TableName: TABLE_NAME, Key: membershipKey(message.room, connectionId) }));
  await db.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: connectionKey(connectionId),
      UpdateExpression: "DELETE #rooms :room",
      ExpressionAttributeNames: { "#rooms": "rooms" },
      ExpressionAttributeValues: { ":room": new Set([message.room]) },
    }),
  );
  return reply({ type: "left", room: message.room });
}

export async function send(event) {
  const caller = callerOf(event);
  const connectionId = event.requestContext.connectionId;
  const message = parseClientMessage(event.body);
  if ("error" in message) return reply({ type: "error", error: message.error });
  if (message.text === undefined) return reply({ type: "error", error: "text is required" });
  const { Item } = await db.send(new GetCommand({ TableName: TABLE_NAME, Key: membershipKey(message.room, connectionId) }));
  if (!Item || Number(Item.expiresAt) <= now()) return reply({ type: "error", error: `join ${message.room} before sending to it` });
  const id = message.clientMessageId ?? randomUUID();
  const payload = roomMessage({ room: message.room, from: caller.userId, text: message.text, id, at: new Date().toISOString() });
  await sqs.send(new SendMessageCommand({ QueueUrl: ROOM_QUEUE_URL, MessageBody: JSON.stringify({ room: message.room, payload }) }));
  log({ route: "send", connectionId, room: message.room, id });
  return reply({ type: "accepted", id });
}

export async function fallback() {
  return reply({ type: "error", error: "unknown action; use join, leave or send" });
}
