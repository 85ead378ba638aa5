// Enrichment stage: reads a batch of raw interaction events from one shard, adds tenant and session
// context (enrichment.ts), and writes them to the enriched stream keyed by tenant (so a tenant's events
// stay in order). Records that are not valid events are logged and dropped; a batch that cannot be
// written reports its first unwritten record, so Lambda retries from there (and bisects, then gives up
// to the failure queue, if it keeps failing).
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { enrich } from "./enrichment";

const kinesis = new KinesisClient({});
/** Records in one PutRecords call: the API's limit. */
const MAX_PUT = 500;
/** Calls for one chunk: the first, then two retries of the entries Kinesis refused (throttled), 200 and 400 ms apart. */
const ATTEMPTS = 3;

export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const settings = { sessionMinutes: Number(process.env.SESSION_MINUTES), region: process.env.AWS_REGION };
  const enriched: { sequenceNumber: string; entry: PutRecordsRequestEntry }[] = [];
  for (const record of event.Records) {
    const outcome = enrich(record, settings);
    if (outcome.ok) enriched.push({ sequenceNumber: record.kinesis.sequenceNumber, entry: { PartitionKey: outcome.partitionKey, Data: Buffer.from(JSON.stringify(outcome.event)) } });
    else console.warn(JSON.stringify({ dropped: record.kinesis.sequenceNumber, reason: outcome.reason }));
  }
  for (let start = 0; start < enriched.length; start += MAX_PUT) {
    const chunk = enriched.slice(start, start + MAX_PUT);
    const failed = await putAll(process.env.ENRICHED_STREAM_ARN!, chunk.map((e) => e.entry));
    if (failed >= 0) return { batchItemFailures: [{ itemIdentifier: chunk[failed]!.sequenceNumber }] };
  }
  return { batchItemFailures: [] };
}

/** Writes the entries, retrying refused ones; returns the index of the first entry not written, or -1. */
async function putAll(streamArn: string, entries: PutRecordsRequestEntry[]): Promise<number> {
  let pending = entries.map((entry, index) => ({ entry, index }));
  for (let attempt = 0; attempt < ATTEMPTS && pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    const result = await kinesis.send(new PutRecordsCommand({ StreamARN: streamArn, Records: pending.map((p) => p.entry) }));
    pending = pending.filter((_, i) => result.Records?.[i]?.ErrorCode);
  }
  return pending.length > 0 ? Math.min(...pending.map((p) => p.index)) : -1;
}
