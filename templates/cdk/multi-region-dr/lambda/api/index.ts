// The API behind each Region's load balancer. Same code in both Regions: transfers go to Aurora
// through the RDS Data API, idempotency keys to the Region's DynamoDB global table replica. In the
// standby Region the Aurora secondary has no writer until it is promoted, so SQL calls fail there
// with 503 until the failover runbook promotes it; the table replica is writable all along.
import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ExecuteStatementCommand, RDSDataClient, type SqlParameter } from "@aws-sdk/client-rds-data";
import type { ALBEvent, ALBResult } from "aws-lambda";

const ddb = new DynamoDBClient({});
const rdsData = new RDSDataClient({});
const DAY_SECONDS = 24 * 60 * 60;
let schemaReady = false;

/** Errors of the Data API that mean "no writer here yet" or "try again soon": the caller gets 503. */
const UNAVAILABLE = ["DatabaseNotFoundException", "DatabaseUnavailableException", "ServiceUnavailableError", "DatabaseResumingException"];

export async function handler(event: ALBEvent): Promise<ALBResult> {
  const method = event.httpMethod;
  const path = event.path ?? "/";
  try {
    if (method === "GET" && path === "/health") return await health();
    if (method === "POST" && path === "/transfers") return await createTransfer(event);
    const match = /^\/transfers\/([0-9a-f-]{36})$/.exec(path);
    if (method === "GET" && match) return await getTransfer(match[1]!);
    return reply(404, { message: "not found" });
  } catch (error) {
    console.error(JSON.stringify({ path, method, error: String(error), name: (error as Error | undefined)?.name }));
    // a secondary cluster without a writer, or an unreachable database, answers 503: retry elsewhere or later
    return reply(isUnavailable(error) ? 503 : 500, { message: "unavailable", region: process.env.AWS_REGION });
  }
}

// Healthy when the local table replica answers and, in the primary Region, the writer does too.
// The standby stays healthy without a writer so that DNS and the accelerator can still fail over to it.
async function health(): Promise<ALBResult> {
  await ddb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: "health" } } }));
  if (process.env.REGION_ROLE === "primary") await sql("SELECT 1");
  return reply(200, { status: "ok", region: process.env.AWS_REGION, role: process.env.REGION_ROLE });
}

async function createTransfer(event: ALBEvent): Promise<ALBResult> {
  let body: { amountCents?: unknown; currency?: unknown; reference?: unknown };
  try {
    body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString() : (event.body ?? "{}")) as typeof body;
  } catch {
    return reply(400, { message: "the body must be JSON" });
  }
  const amountCents = Number(body.amountCents);
  const currency = typeof body.currency === "string" ? body.currency : "";
  if (!Number.isInteger(amountCents) || amountCents <= 0 || !/^[A-Z]{3}$/.test(currency)) {
    return reply(400, { message: "amountCents (positive integer) and currency (ISO 4217) are required" });
  }
  // An idempotency key in the global table means a client retrying in the other Region after a
  // failover gets the original transfer back instead of a second one.
  const idempotencyKey = event.headers?.["idempotency-key"];
  const id = randomUUID();
  if (idempotencyKey) {
    const key = { pk: { S: `idem#${idempotencyKey}` } };
    try {
      await ddb.send(
        new PutItemCommand({
          TableName: process.env.TABLE_NAME,
          Item: { ...key, transferId: { S: id }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + DAY_SECONDS) } },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await ddb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: key, ConsistentRead: true }));
      return reply(200, { id: existing.Item?.transferId?.S, replayed: true });
    }
  }
  await ensureSchema();
  await sql("INSERT INTO transfers (id, amount_cents, currency, reference) VALUES (:id::uuid, :amount, :currency, :reference)", [
    { name: "id", value: { stringValue: id } },
    { name: "amount", value: { longValue: amountCents } },
    { name: "currency", value: { stringValue: currency } },
    { name: "reference", value: { stringValue: String(body.reference ?? "") } },
  ]);
  return reply(201, { id, region: process.env.AWS_REGION });
}

async function getTransfer(id: string): Promise<ALBResult> {
  await ensureSchema();
  const result = await sql("SELECT id::text, amount_cents, currency, reference, created_at::text FROM transfers WHERE id = :id::uuid", [{ name: "id", value: { stringValue: id } }]);
  const row = result.records?.[0];
  if (!row) return reply(404, { message: "no such transfer" });
  const [transferId, amount, currency, reference, createdAt] = row;
  return reply(200, { id: transferId?.stringValue, amountCents: amount?.longValue, currency: currency?.stringValue, reference: reference?.stringValue, createdAt: createdAt?.stringValue });
}

async function ensureSchema(): Promise<void> {
  if (schemaReady) return;
  await sql("CREATE TABLE IF NOT EXISTS transfers (id uuid PRIMARY KEY, amount_cents bigint NOT NULL, currency char(3) NOT NULL, reference text, created_at timestamptz NOT NULL DEFAULT now())");
  schemaReady = true;
}

function sql(statement: string, parameters?: SqlParameter[]) {
  return rdsData.send(new ExecuteStatementCommand({ resourceArn: process.env.CLUSTER_ARN, secretArn: process.env.SECRET_ARN, database: process.env.DATABASE, sql: statement, parameters }));
}

function isUnavailable(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return UNAVAILABLE.includes(name ?? "") || (name === "BadRequestException" && /writer|read-only|not available/i.test(String(message)));
}

function reply(statusCode: number, body: unknown): ALBResult {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body), isBase64Encoded: false };
}
