// Cache-aside over Aurora PostgreSQL. Reads look in Valkey first; a miss loads the row through the
// RDS Data API and stores it with a jittered TTL (lambda/cache/read-through.ts). Writes change the
// database first, then delete the cached key, so the next read reloads the committed row. If the
// cache is down, reads and writes still work against the database, only slower.
//
// Invoke with { "action": "get", "id": "42" }, { "action": "put", "id": "42", "item": { ... } }
// or { "action": "delete", "id": "42" }.
import { ExecuteStatementCommand, RDSDataClient } from "@aws-sdk/client-rds-data";
import { invalidate, readThrough } from "../cache/read-through";

export type Request = { action?: string; id?: unknown; item?: unknown };
export type Response =
  | { statusCode: 200; id: string; source?: "cache" | "database"; item?: unknown }
  | { statusCode: 400 | 404; id?: string; error?: string };

const rds = new RDSDataClient({});

export async function handler(event: Request): Promise<Response> {
  const id = String(event?.id ?? "");
  if (!/^[\w-]{1,128}$/.test(id)) return { statusCode: 400, error: "id must be 1-128 letters, digits, _ or -" };
  await schemaReady();
  switch (event.action) {
    case "get":
      return read(id);
    case "put":
      if (typeof event.item !== "object" || event.item === null) return { statusCode: 400, error: "put needs an item object" };
      await sql("INSERT INTO items (id, body) VALUES (:id, CAST(:body AS jsonb)) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()", { id, body: JSON.stringify(event.item) });
      await invalidate(`item:${id}`);
      return { statusCode: 200, id };
    case "delete":
      await sql("DELETE FROM items WHERE id = :id", { id });
      await invalidate(`item:${id}`);
      return { statusCode: 200, id };
    default:
      return { statusCode: 400, error: "action must be get, put or delete" };
  }
}

async function read(id: string): Promise<Response> {
  const { value, cached } = await readThrough(`item:${id}`, Number(process.env.TTL_SECONDS ?? 300), async () => {
    const rows = await sql("SELECT body::text AS body FROM items WHERE id = :id", { id });
    return rows[0] ? (JSON.parse(rows[0].body) as unknown) : undefined;
  });
  if (value === undefined) return { statusCode: 404, id };
  return { statusCode: 200, id, source: cached ? "cache" : "database", item: value };
}

let schema: Promise<unknown> | undefined;
function schemaReady(): Promise<unknown> {
  schema ??= sql("CREATE TABLE IF NOT EXISTS items (id text PRIMARY KEY, body jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())").catch((error: unknown) => {
    schema = undefined;
    throw error;
  });
  return schema;
}

async function sql(statement: string, parameters: Record<string, string> = {}): Promise<{ body: string }[]> {
  const result = await rds.send(
    new ExecuteStatementCommand({
      resourceArn: process.env.CLUSTER_ARN,
      secretArn: process.env.DB_SECRET_ARN,
      database: process.env.DB_NAME,
      sql: statement,
      parameters: Object.entries(parameters).map(([name, value]) => ({ name, value: { stringValue: value } })),
      formatRecordsAs: "JSON",
    }),
  );
  return result.formattedRecords ? (JSON.parse(result.formattedRecords) as { body: string }[]) : [];
}
