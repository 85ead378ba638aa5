// CRUD handlers for the /items resource, one exported handler per API Gateway method. Each function
// of the stack points at one of them ("index.list", "index.get", ...) and its role allows only the
// DynamoDB action that handler calls. The AWS SDK v3 ships with the Node.js runtime: no bundling.
import { randomUUID } from "node:crypto";
import { DynamoDBClient, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const TableName = process.env.TABLE_NAME;
const MAX_PAGE = 100;

const reply = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body: body === undefined ? "" : JSON.stringify(body),
});
// API Gateway already validated the body against the Item model; parse defensively all the same.
const bodyOf = (event) => {
  try {
    return JSON.parse(event.body ?? "{}");
  } catch {
    return undefined;
  }
};
// The caller, as the Cognito authorizer saw it, recorded on every write.
const callerOf = (event) => event.requestContext?.authorizer?.claims?.sub ?? "unknown";

export async function list(event) {
  const limit = Math.min(Number(event.queryStringParameters?.limit ?? 25) || 25, MAX_PAGE);
  const cursor = event.queryStringParameters?.cursor;
  // A Scan pages through the whole table: fine for a starter, replace with a Query on a GSI once the
  // access pattern (by owner, by status, ...) is known.
  const page = await db.send(
    new ScanCommand({
      TableName,
      Limit: limit,
      ExclusiveStartKey: cursor ? { id: Buffer.from(cursor, "base64url").toString("utf8") } : undefined,
    }),
  );
  const next = page.LastEvaluatedKey ? Buffer.from(String(page.LastEvaluatedKey.id), "utf8").toString("base64url") : undefined;
  return reply(200, { items: page.Items ?? [], next });
}

export async function get(event) {
  const { Item } = await db.send(new GetCommand({ TableName, Key: { id: event.pathParameters.id } }));
  return Item ? reply(200, Item) : reply(404, { message: "not found" });
}

export async function create(event) {
  const input = bodyOf(event);
  if (!input) return reply(400, { message: "body must be JSON" });
  const now = new Date().toISOString();
  const item = { ...input, id: randomUUID(), createdAt: now, updatedAt: now, updatedBy: callerOf(event), version: 1 };
  await db.send(new PutCommand({ TableName, Item: item, ConditionExpression: "attribute_not_exists(id)" }));
  return reply(201, item);
}

export async function update(event) {
  const input = bodyOf(event);
  if (!input) return reply(400, { message: "body must be JSON" });
  const { name, description, price, expectedVersion } = input;
  try {
    // Optimistic locking: a client that read version n may only write over version n.
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName,
        Key: { id: event.pathParameters.id },
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
    return reply(200, Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return reply(409, { message: "not found, or changed since it was read" });
    throw error;
  }
}

export async function remove(event) {
  try {
    await db.send(new DeleteCommand({ TableName, Key: { id: event.pathParameters.id }, ConditionExpression: "attribute_exists(id)" }));
    return reply(204);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return reply(404, { message: "not found" });
    throw error;
  }
}
