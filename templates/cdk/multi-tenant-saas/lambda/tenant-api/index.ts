// The tenant API: GET /items, POST /items, GET /items/{id}. Every data call runs with credentials of
// the tenant-access role, assumed with the caller's tenant id as a session tag, so DynamoDB itself
// refuses other tenants' partition keys (and other tenants' silo tables). The function's own role can
// only read the tenant registry, write the usage counters and assume that role.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { sessionName, sessionTags, stillFresh, tableFor, type Tenant, tenantOf, usageKey } from "./tenancy";

const sts = new STSClient({});
const platform = DynamoDBDocumentClient.from(new DynamoDBClient({}));
/** tenant id -> { db, expiresAt }: one AssumeRole per tenant per credential lifetime, per execution environment */
const scoped = new Map<string, { db: DynamoDBDocumentClient; expiresAt: number }>();
/** tenant id -> { tenant, until }: the registry entry, cached for a minute */
const registry = new Map<string, { tenant: Tenant | undefined; until: number }>();

async function tenantRecord(tenantsTable: string, tenantId: string): Promise<Tenant | undefined> {
  const hit = registry.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.tenant;
  const { Item } = await platform.send(new GetCommand({ TableName: tenantsTable, Key: { tenantId } }));
  const tenant = Item as Tenant | undefined;
  registry.set(tenantId, { tenant, until: Date.now() + 60_000 });
  return tenant;
}

async function scopedClient(roleArn: string, tenantId: string, requestId: string): Promise<DynamoDBDocumentClient> {
  const hit = scoped.get(tenantId);
  if (hit && stillFresh(hit.expiresAt)) return hit.db;
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName(tenantId, requestId), DurationSeconds: 900, Tags: sessionTags(tenantId) }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) throw new Error("AssumeRole returned no credentials");
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  scoped.set(tenantId, { db, expiresAt: c.Expiration.getTime() });
  return db;
}

/** The fields of a new item the API's NewItem model admits, or undefined when the body is not such an object. */
function newItemFields(body: string | null): { title: string; body?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    return undefined;
  }
  const { title, body: text } = (parsed ?? {}) as { title?: unknown; body?: unknown };
  if (typeof title !== "string" || title.length < 1 || title.length > 200) return undefined;
  if (text !== undefined && (typeof text !== "string" || text.length > 20_000)) return undefined;
  return text === undefined ? { title } : { title, body: text };
}

const reply = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body: JSON.stringify(body),
});

export async function handler(event: APIGatewayProxyEvent, context: Pick<Context, "awsRequestId">): Promise<APIGatewayProxyResult> {
  const { TENANT_ROLE_ARN = "", TENANTS_TABLE = "", USAGE_TABLE = "", POOLED_TABLE = "", SILO_PREFIX = "" } = process.env;
  const started = Date.now();
  const tenantId = tenantOf(event);
  if (!tenantId) return reply(403, { message: "The token carries no tenant." });
  try {
    const tenant = await tenantRecord(TENANTS_TABLE, tenantId);
    if (!tenant || tenant.status !== "ACTIVE") return reply(403, { message: "The tenant is not active." });
    const TableName = tableFor(tenant, { pooledTable: POOLED_TABLE, siloPrefix: SILO_PREFIX });
    const db = await scopedClient(TENANT_ROLE_ARN, tenantId, context.awsRequestId);
    const id = event.pathParameters?.id;
    if (event.httpMethod === "GET" && id) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: { tenantId, itemId: id } }));
      return Item ? reply(200, Item) : reply(404, { message: "No such item." });
    }
    if (event.httpMethod === "GET") {
      const limit = Math.min(100, Number(event.queryStringParameters?.limit ?? 25) || 25);
      const { Items = [] } = await db.send(new QueryCommand({ TableName, KeyConditionExpression: "tenantId = :t", ExpressionAttributeValues: { ":t": tenantId }, Limit: limit }));
      return reply(200, { items: Items });
    }
    if (event.httpMethod === "POST") {
      const fields = newItemFields(event.body);
      if (!fields) return reply(400, { message: "The body must be a JSON object with a title (1 to 200 characters) and an optional body (at most 20,000)." });
      // the tenant and the id are the server's, never the client's
      const item = { ...fields, tenantId, itemId: randomUUID(), createdAt: new Date().toISOString() };
      await db.send(new PutCommand({ TableName, Item: item, ConditionExpression: "attribute_not_exists(itemId)" }));
      return reply(201, item);
    }
    return reply(405, { message: "Method not allowed." });
  } finally {
    // Metering for cost attribution: requests and handler time per tenant per day, written with the
    // function's own role (tenants cannot write their own usage).
    await platform
      .send(
        new UpdateCommand({
          TableName: USAGE_TABLE,
          Key: usageKey(tenantId),
          UpdateExpression: "ADD requests :one, durationMs :ms",
          ExpressionAttributeValues: { ":one": 1, ":ms": Date.now() - started },
        }),
      )
      .catch((error: unknown) => console.error(JSON.stringify({ message: "metering failed", tenantId, error: String(error) })));
  }
}
