// Transform stage: receives one event from a source's EventBridge rule, keeps it as received in the
// raw zone, and, if it is valid for its source, maps it to the shared record layout of the curated
// table (see CURATED_COLUMNS in the stack) and sends it to the curated zone. Invalid events stay in
// the raw zone only, and are logged with the reason, so they can be fixed and replayed.
import { FirehoseClient, PutRecordCommand } from "@aws-sdk/client-firehose";
import type { EventBridgeEvent } from "aws-lambda";

const firehose = new FirehoseClient({});

export type SourceEvent = EventBridgeEvent<string, Record<string, unknown>>;
export type Mapped = { tenant: unknown; entity: string; entityId: unknown; payload: Record<string, unknown> };
/** One row of the curated table, in the order of CURATED_COLUMNS. */
export type CuratedRecord = { event_id: string; source: string; detail_type: string; occurred_at: number; tenant: string; entity: string; entity_id: string; payload: string };

// One mapper per source: each returns the row's tenant, entity and id, or throws an Error whose
// message says what is wrong. Add a mapper here, and the source to `sources` in the stack, for each new source.
export const mappers: Record<string, (detail: Record<string, unknown>) => Mapped> = {
  crm: (detail) => ({ tenant: need(detail, "accountId"), entity: "contact", entityId: need(detail, "contactId"), payload: detail }),
  erp: (detail) => ({ tenant: need(detail, "companyCode"), entity: "order", entityId: need(detail, "orderNumber"), payload: detail }),
  iot: (detail) => ({ tenant: need(detail, "fleetId"), entity: "reading", entityId: need(detail, "deviceId"), payload: detail }),
};

export async function handler(event: SourceEvent): Promise<{ status: "curated" | "quarantined"; id: string }> {
  await put(process.env.RAW_STREAM, event);
  const kind = event.source.split(".").pop() ?? "";
  let mapped: Mapped;
  try {
    const mapper = mappers[kind];
    if (!mapper) throw new Error(`no mapper for source ${event.source}`);
    mapped = mapper(event.detail ?? {});
  } catch (error) {
    console.warn(JSON.stringify({ quarantined: event.id, source: event.source, reason: error instanceof Error ? error.message : String(error) }));
    return { status: "quarantined", id: event.id };
  }
  const record: CuratedRecord = {
    event_id: event.id,
    source: event.source,
    detail_type: event["detail-type"],
    occurred_at: Date.parse(event.time),
    tenant: String(mapped.tenant),
    entity: mapped.entity,
    entity_id: String(mapped.entityId),
    payload: JSON.stringify(mapped.payload),
  };
  await put(process.env.CURATED_STREAM, record);
  return { status: "curated", id: event.id };
}

function need(detail: Record<string, unknown>, field: string): unknown {
  const value = detail[field];
  if (value === undefined || value === null || value === "") throw new Error(`missing ${field}`);
  return value;
}

async function put(stream: string | undefined, record: unknown): Promise<void> {
  // newline-delimited JSON, so Athena, the crawler and the Parquet conversion see one record per line
  await firehose.send(new PutRecordCommand({ DeliveryStreamName: stream, Record: { Data: Buffer.from(`${JSON.stringify(record)}\n`) } }));
}
