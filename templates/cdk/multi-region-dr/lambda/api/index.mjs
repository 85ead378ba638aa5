// The API behind each region's load balancer. Same code in both regions: transfers go to Aurora
// through the RDS Data API, idempotency keys to the region's DynamoDB global table replica. In the
// standby region the Aurora secondary has no writer until it is promoted, so SQL calls fail there
// with 503 until the failover runbook promotes it; the table replica is writable all along.
import { randomUUID } from "node:crypto";
import { DynamoDBClient, GetItemCommand, PutItemCommand, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { RDSDataClient, ExecuteStatementCommand } from "@aws-sdk/client-rds-data";

const ddb = new DynamoDBClient({});
const rdsData = new RDSDataClient({});
const { REGION_ROLE, TABLE_NAME, CLUSTER_ARN, SECRET_ARN, DATABASE, AWS_REGION } = process.env;
const DAY = 24 * 60 * 60;
let schemaReady = false;

export async function handler(event) {
  const method = event.httpMethod;
  const path = event.path ?? "/";
  try {
    if (method === "GET" && path === "/health") return await health();
    if (method === "POST" && path === "/transfers") return await createTransfer(event);
    const match = /^\/transfers\/([0-9a-f-]{36})$/.exec(path);
    if (method === "GET" && match) return await getTransfer(match[1]);
    return reply(404, { message: "not found" });
  } catch (error) {
    console.error(JSON.stringify({ path, method, error: String(error), name: error?.name }));
    // a secondary cluster without a writer, or an unreachable database, answers 503: retry elsewhere or later
    return reply(error?.name === "DatabaseUnavailable" || isDataApiUnavailable(error) ? 503 : 500, { message: "unavailable", region: AWS_REGION });
  }
}

// Healthy when the local table replica answers and, in the primary region, the writer does too.
// The standby stays healthy without a writer so that DNS and the accelerator can still fail over to it.
async function health() {
  await ddb.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: "health" } } }));
  if (REGION_ROLE === "primary") await sql("SELECT 1");
  return reply(200, { status: "ok", region: AWS_REGION, role: REGION_ROLE });
}

async function createTransfer(event) {
  const body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString() : (event.body ?? "{}"));
  const amountCents = Number(body.amountCents);
  if (!Number.isInteger(amountCents) || amountCents <= 0 || !/^[A-Z]{3}$/.test(body.currency ?? "")) {
    return reply(400, { message: "amountCents (positive integer) and currency (ISO 4217) are required" });
  }
  // An idempotency key in the global table means a client retrying in the other region after a
  // failover gets the original transfer back instead of a second one.
  const idempotencyKey = event.headers?.["idempotency-key"];
  const id = randomUUID();
  if (idempotencyKey) {
    try {
      await ddb.send(new PutItemCommand({
        TableName: TABLE_NAME,
        Item: { pk: { S: `idem#${idempotencyKey}` }, transferId: { S: id }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + DAY) } },
        ConditionExpression: "attribute_not_exists(pk)",
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await ddb.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: `idem#${idempotencyKey}` } }, ConsistentRead: true }));
      return reply(200, { id: existing.Item?.transferId?.S, replayed: true });
    }
  }
  await ensureSchema();
  await sql("INSERT INTO transfers (id, amount_cents, currency, reference) VALUES (:id::uuid, :amount, :currency, :reference)", [
    { name: "id", value: { stringValue: id } },
    { name: "amount", value: { longValue: amountCents } },
    { name: "currency", value: { stringValue: body.currency } },
    { name: "reference", value: { stringValue: String(body.reference ?? "") } },
  ]);
  return reply(201, { id, region: AWS_REGION });
}

async function getTransfer(id) {
  await ensureSchema();
  const result = await sql("SELECT id::text, amount_cents, currency, reference, created_at::text FROM transfers WHERE id = :id::uuid", [
    { name: "id", value: { stringValue: id } },
  ]);
  const row = result.records?.[0];
  if (!row) return reply(404, { message: "no such transfer" });
  const [tid, amount, currency, reference, createdAt] = row;
  return reply(200, { id: tid.stringValue, amountCents: amount.longValue, currency: currency.stringValue, reference: reference.stringValue, createdAt: createdAt.stringValue });
}

async function ensureSchema() {
  if (schemaReady) return;
  await sql("CREATE TABLE IF NOT EXISTS transfers (id uuid PRIMARY KEY, amount_cents bigint NOT NULL, currency char(3) NOT NULL, reference text, created_at timestamptz NOT NULL DEFAULT now())");
  schemaReady = true;
}

function sql(statement, parameters) {
  return rdsData.send(new ExecuteStatementCommand({ resourceArn: CLUSTER_ARN, secretArn: SECRET_ARN, database: DATABASE, sql: statement, parameters }));
}

function isDataApiUnavailable(error) {
  return ["DatabaseNotFoundException", "DatabaseUnavailableException", "ServiceUnavailableError", "DatabaseResumingException"].includes(error?.name)
    || (error?.name === "BadRequestException" && /writer|read-only|not available/i.test(String(error?.message)));
}

function reply(statusCode, body) {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body), isBase64Encoded: false };
}
