// Enrichment stage: reads a batch of raw interaction events from one shard, adds tenant and session
// context, and writes them to the enriched stream keyed by tenant (so a tenant's events stay in
// order). Records that are not valid events are logged and dropped; a batch that cannot be written
// reports its first unwritten record, so Lambda retries from there (and bisects, then gives up to the
// failure queue, if it keeps failing).
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";

const kinesis = new KinesisClient({});
const MAX_PUT = 500;

export async function handler(event) {
  const enriched = [];
  for (const record of event.Records) {
    const result = enrich(record);
    if (result) enriched.push({ sequenceNumber: record.kinesis.sequenceNumber, entry: result });
  }
  for (let start = 0; start < enriched.length; start += MAX_PUT) {
    const chunk = enriched.slice(start, start + MAX_PUT);
    const failed = await putAll(chunk.map((e) => e.entry));
    if (failed >= 0) return { batchItemFailures: [{ itemIdentifier: chunk[failed].sequenceNumber }] };
  }
  return { batchItemFailures: [] };
}

function enrich(record) {
  let body;
  try {
    body = JSON.parse(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
  } catch {
    console.warn(JSON.stringify({ dropped: record.kinesis.sequenceNumber, reason: "not JSON" }));
    return undefined;
  }
  if (typeof body.tenantId !== "string" || typeof body.type !== "string") {
    console.warn(JSON.stringify({ dropped: record.kinesis.sequenceNumber, reason: "tenantId and type are required" }));
    return undefined;
  }
  const arrivedAt = Math.round(record.kinesis.approximateArrivalTimestamp * 1000);
  const occurredAt = Date.parse(body.occurredAt ?? "") || arrivedAt;
  const data = {
    ...body,
    // the tenant key every later stage partitions and filters by
    tenant: body.tenantId,
    // a session is the user's activity within SESSION_MINUTES of inactivity; without a session id,
    // events of one user in the same window share one
    session: body.sessionId ?? `${body.userId ?? "anonymous"}-${Math.floor(occurredAt / (Number(process.env.SESSION_MINUTES) * 60_000))}`,
    occurred_at: occurredAt,
    arrived_at: arrivedAt,
    region: process.env.AWS_REGION,
  };
  return { PartitionKey: data.tenant, Data: Buffer.from(JSON.stringify(data)) };
}

/** Writes the entries, retrying throttled ones; returns the index of the first entry not written, or -1. */
async function putAll(entries) {
  let pending = entries.map((entry, index) => ({ entry, index }));
  for (let attempt = 0; attempt < 3 && pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    const result = await kinesis.send(new PutRecordsCommand({ StreamARN: process.env.ENRICHED_STREAM_ARN, Records: pending.map((p) => p.entry) }));
    pending = pending.filter((_, i) => result.Records?.[i]?.ErrorCode);
  }
  return pending.length > 0 ? Math.min(...pending.map((p) => p.index)) : -1;
}
