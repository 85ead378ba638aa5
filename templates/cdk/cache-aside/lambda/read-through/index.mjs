// Cache-aside over Aurora PostgreSQL. Reads look in Valkey first; a miss loads the row through the
// RDS Data API and stores it with a jittered TTL. Writes change the database first, then delete the
// cached key, so the next read reloads the committed row. If the cache is down, reads and writes
// still work against the database, only slower.
//
// Invoke with { "action": "get", "id": "42" }, { "action": "put", "id": "42", "item": { ... } }
// or { "action": "delete", "id": "42" }.
import { RDSDataClient, ExecuteStatementCommand } from "@aws-sdk/client-rds-data";
import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { RespClient, ReplyError } from "./resp.mjs";

const env = process.env;
const TTL_SECONDS = Number(env.TTL_SECONDS ?? 300);
const rds = new RDSDataClient({});
const secrets = new SecretsManagerClient({});
const database = { resourceArn: env.CLUSTER_ARN, secretArn: env.DB_SECRET_ARN, database: env.DB_NAME };

export async function handler(event) {
  const id = String(event?.id ?? "");
  if (!/^[\w-]{1,128}$/.test(id)) return { statusCode: 400, error: "id must be 1-128 letters, digits, _ or -" };
  await schemaReady();
  switch (event.action) {
    case "get":
      return read(id);
    case "put":
      if (typeof event.item !== "object" || event.item === null) return { statusCode: 400, error: "put needs an item object" };
      await sql("INSERT INTO items (id, body) VALUES (:id, CAST(:body AS jsonb)) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()", { id, body: JSON.stringify(event.item) });
      await invalidate(id);
      return { statusCode: 200, id };
    case "delete":
      await sql("DELETE FROM items WHERE id = :id", { id });
      await invalidate(id);
      return { statusCode: 200, id };
    default:
      return { statusCode: 400, error: "action must be get, put or delete" };
  }
}

async function read(id) {
  const key = `item:${id}`;
  const cached = await cacheCall((c) => c.get(key));
  if (typeof cached === "string") return { statusCode: 200, id, source: "cache", item: JSON.parse(cached) };
  const rows = await sql("SELECT body::text AS body FROM items WHERE id = :id", { id });
  if (rows.length === 0) return { statusCode: 404, id };
  const body = rows[0].body;
  // jitter spreads the expiry of keys loaded together, so they do not all miss at once
  const ttl = TTL_SECONDS * (0.9 + Math.random() * 0.2);
  await cacheCall((c) => c.setEx(key, body, ttl));
  return { statusCode: 200, id, source: "database", item: JSON.parse(body) };
}

async function invalidate(id) {
  const deleted = await cacheCall((c) => c.del(`item:${id}`));
  // a failed delete leaves a stale copy until its TTL: say so loudly
  if (deleted === undefined) console.error(JSON.stringify({ message: "cache invalidation failed; the entry expires with its TTL", id }));
}

let schema;
function schemaReady() {
  schema ??= sql("CREATE TABLE IF NOT EXISTS items (id text PRIMARY KEY, body jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())").catch((error) => {
    schema = undefined;
    throw error;
  });
  return schema;
}

async function sql(statement, parameters = {}) {
  const result = await rds.send(new ExecuteStatementCommand({
    ...database,
    sql: statement,
    parameters: Object.entries(parameters).map(([name, value]) => ({ name, value: { stringValue: value } })),
    formatRecordsAs: "JSON",
  }));
  return result.formattedRecords ? JSON.parse(result.formattedRecords) : [];
}

// One connection per execution environment, opened and authenticated on first use.
let client;
async function cache() {
  if (client && !client.closed) return client;
  let token = await authToken(false);
  for (let attempt = 0; ; attempt++) {
    client = new RespClient({ host: env.CACHE_HOST, port: Number(env.CACHE_PORT) });
    try {
      await client.auth(token);
      return client;
    } catch (error) {
      client.close();
      // the token was rotated since it was read: read it again, once
      if (attempt > 0 || !(error instanceof ReplyError && error.code === "WRONGPASS")) throw error;
      token = await authToken(true);
    }
  }
}

let token;
async function authToken(refresh) {
  if (!token || refresh) {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: env.CACHE_TOKEN_SECRET_ARN }));
    token = JSON.parse(secret.SecretString).token;
  }
  return token;
}

/** Runs a cache command; undefined (and a log line) if the cache cannot answer. */
async function cacheCall(command) {
  try {
    return await command(await cache());
  } catch (error) {
    console.warn(JSON.stringify({ message: "cache unavailable, using the database", error: String(error) }));
    return undefined;
  }
}
