// CRUD handlers for the /items resource, one exported handler per API Gateway method. Each function
// of the stack points at one of them and its role allows only the DynamoDB action that handler calls.
// When a read-through cache is composed into the app, GET /items/{id} reads through it and PUT and
// DELETE delete the cached item after the table write (lambda/cache/read-through.ts); without one,
// every read goes to the table.
import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { invalidate, readThrough } from "../cache/read-through";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const MAX_PAGE = 100;
/** How long a read item stays cached (each key ±10%). A write deletes it sooner. */
export const ITEM_TTL_SECONDS = 300;

export type Item = { id: string; name: string; description?: string | null; price?: number | null; createdAt: string; updatedAt: string; updatedBy: string; version: number };

const tableName = () => process.env.TABLE_NAME!;
const cacheKey = (id: string) => `item:${id}`;

const reply = (statusCode: number, body?: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body: body === undefined ? "" : JSON.stringify(body),
});
// API Gateway already validated the body against the Item model; parse defensively all the same.
const bodyOf = (event: APIGatewayProxyEvent): Record<string, unknown> | undefined => {
  try {
    const body: unknown = JSON.parse(event.body ?? "{}");
    return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};
// The caller, as the Cognito authorizer saw it, recorded on every write.
const callerOf = (event: APIGatewayProxyEvent): string => (event.requestContext?.authorizer?.claims as { sub?: string } | undefined)?.sub ?? "unknown";
const idOf = (event: APIGatewayProxyEvent): string => event.pathParameters?.id ?? "";

export async function list(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const limit = Math.min(Number(event.queryStringParameters?.limit ?? 25) || 25, MAX_PAGE);
  const cursor = event.queryStringParameters?.cursor;
  // A Scan pages through the whole table: fine for a starter, replace with a Query on a GSI once the
  // access pattern (by owner, by status, ...) is known.
  const page = await db.send(
    new ScanCommand({
      TableName: tableName(),
      Limit: limit,
      ExclusiveStartKey: cursor ? { id: Buffer.from(cursor, "base64url").toString("utf8") } : undefined,
    }),
  );
  const next = page.LastEvaluatedKey ? Buffer.from(String(page.LastEvaluatedKey.id), "utf8").toString("base64url") : undefined;
  return reply(200, { items: page.Items ?? [], next });
}

export async function get(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const id = idOf(event);
  const { value } = await readThrough(cacheKey(id), ITEM_TTL_SECONDS, async () => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: { id } }));
    return Item as Item | undefined;
  });
  return value ? reply(200, value) : reply(404, { message: "not found" });
}

export async function create(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const input = bodyOf(event);
  if (!input) return reply(400, { message: "body must be a JSON object" });
  const now = new Date().toISOString();
  const item = { ...input, id: randomUUID(), createdAt: now, updatedAt: now, updatedBy: callerOf(event), version: 1 };
  await db.send(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(id)" }));
  return reply(201, item);
}

export async function update(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const input = bodyOf(event);
  if (!input) return reply(400, { message: "body must be a JSON object" });
  const id = idOf(event);
  const { name, description, price, expectedVersion } = input;
  try {
    // Optimistic locking: a client that read version n may only write over version n.
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { id },
        UpdateExpression: "SET #name = :name, description = :description, price = :price, updatedAt = :now, updatedBy = :by ADD version :one",
        ConditionExpression: expectedVersion === undefined ? "attribute_exists(id)" : "attribute_exists(id) AND version = :expected",
        ExpressionAttributeNames: { "#name": "name" },
        ExpressionAttributeValues: {
          ":name": name,
          ":description": description ?? null,
          ":price": price ?? null,
          ":now": new Date().toISOString(),
          ":by": callerOf(event),
          ":one": 1,
          ...(expectedVersion === undefined ? {} : { ":expected": expectedVersion }),
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    await invalidate(cacheKey(id));
    return reply(200, Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return reply(409, { message: "not found, or changed since it was read" });
    throw error;
  }
}

export async function remove(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const id = idOf(event);
  try {
    await db.send(new DeleteCommand({ TableName: tableName(), Key: { id }, ConditionExpression: "attribute_exists(id)" }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return reply(404, { message: "not found" });
    throw error;
  }
  await invalidate(cacheKey(id));
  return reply(204);
}
