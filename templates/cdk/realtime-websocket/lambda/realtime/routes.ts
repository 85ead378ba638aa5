// The WebSocket routes. $connect and $disconnect keep the connection item; join and leave keep room
// memberships (checked against mayJoin); send checks membership and puts the message on the room queue,
// from which the fan-out planner takes it. Every route knows the caller only from the authorizer's
// context. join, leave, send and $default answer the client through the route response.
import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayEventWebsocketRequestContextV2, APIGatewayProxyStructuredResultV2, APIGatewayProxyWebsocketEventV2WithRequestContext } from "aws-lambda";
import { callerOf, connectionKey, expiresAt, MAX_ROOMS, mayJoin, membershipKey, parseClientMessage, type RoomWork, roomMessage } from "./rooms";

/** A route's event: the authorizer's context (user id and groups) comes with every message of the connection. */
export type RouteEvent = APIGatewayProxyWebsocketEventV2WithRequestContext<APIGatewayEventWebsocketRequestContextV2 & { authorizer?: Record<string, unknown> }>;
type Reply = APIGatewayProxyStructuredResultV2;

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
const table = () => process.env.TABLE_NAME!;
const now = () => Math.floor(Date.now() / 1000);
const reply = (body: unknown): Reply => ({ statusCode: 200, body: JSON.stringify(body) });
const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

export async function connect(event: RouteEvent): Promise<Reply> {
  const { userId } = callerOf(event);
  const connectionId = event.requestContext.connectionId;
  await db.send(new PutCommand({ TableName: table(), Item: { ...connectionKey(connectionId), userId, connectedAt: now(), expiresAt: expiresAt(now()) } }));
  log({ route: "$connect", connectionId, userId });
  return { statusCode: 200 };
}

// $disconnect is best effort: when it never arrives, the items expire on their own.
export async function disconnect(event: RouteEvent): Promise<Reply> {
  const connectionId = event.requestContext.connectionId;
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: connectionKey(connectionId) }));
  const rooms = (Item?.rooms as Set<string> | undefined) ?? new Set<string>();
  for (const room of rooms) await db.send(new DeleteCommand({ TableName: table(), Key: membershipKey(room, connectionId) }));
  await db.send(new DeleteCommand({ TableName: table(), Key: connectionKey(connectionId) }));
  log({ route: "$disconnect", connectionId, rooms: rooms.size });
  return { statusCode: 200 };
}

export async function join(event: RouteEvent): Promise<Reply> {
  const caller = callerOf(event);
  const connectionId = event.requestContext.connectionId;
  const message = parseClientMessage(event.body);
  if ("error" in message) return reply({ type: "error", error: message.error });
  if (!mayJoin(caller, message.room)) return reply({ type: "error", error: `not allowed to join ${message.room}` });
  try {
    // the connection records the room (at most MAX_ROOMS of them), so $disconnect can remove the membership
    await db.send(
      new UpdateCommand({
        TableName: table(),
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
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: connectionKey(connectionId) }));
  await db.send(new PutCommand({ TableName: table(), Item: { ...membershipKey(message.room, connectionId), userId: caller.userId, expiresAt: Item?.expiresAt ?? expiresAt(now()) } }));
  log({ route: "join", connectionId, room: message.room });
  return reply({ type: "joined", room: message.room });
}

export async function leave(event: RouteEvent): Promise<Reply> {
  const connectionId = event.requestContext.connectionId;
  const message = parseClientMessage(event.body);
  if ("error" in message) return reply({ type: "error", error: message.error });
  await db.send(new DeleteCommand({ TableName: table(), Key: membershipKey(message.room, connectionId) }));
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: connectionKey(connectionId),
      UpdateExpression: "DELETE #rooms :room",
      ExpressionAttributeNames: { "#rooms": "rooms" },
      ExpressionAttributeValues: { ":room": new Set([message.room]) },
    }),
  );
  return reply({ type: "left", room: message.room });
}

export async function send(event: RouteEvent): Promise<Reply> {
  const caller = callerOf(event);
  const connectionId = event.requestContext.connectionId;
  const message = parseClientMessage(event.body);
  if ("error" in message) return reply({ type: "error", error: message.error });
  if (message.text === undefined) return reply({ type: "error", error: "text is required" });
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: membershipKey(message.room, connectionId) }));
  if (!Item || Number(Item.expiresAt) <= now()) return reply({ type: "error", error: `join ${message.room} before sending to it` });
  const id = message.clientMessageId ?? randomUUID();
  const payload = roomMessage({ room: message.room, from: caller.userId, text: message.text, id, at: new Date().toISOString() });
  const work: RoomWork = { room: message.room, payload };
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.ROOM_QUEUE_URL, MessageBody: JSON.stringify(work) }));
  log({ route: "send", connectionId, room: message.room, id });
  return reply({ type: "accepted", id });
}

export async function fallback(): Promise<Reply> {
  return reply({ type: "error", error: "unknown action; use join, leave or send" });
}
