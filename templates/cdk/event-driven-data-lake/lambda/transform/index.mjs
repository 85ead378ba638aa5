// Transform stage: receives one event from a source's EventBridge rule, keeps it as received in the
// raw zone, and, if it is valid for its source, maps it to the shared record layout of the curated
// table (see CURATED_COLUMNS in the stack) and sends it to the curated zone. Invalid events stay in
// the raw zone only, and are logged with the reason, so they can be fixed and replayed.
import { FirehoseClient, PutRecordCommand } from "@aws-sdk/client-firehose";

const firehose = new FirehoseClient({});

// One mapper per source: each returns { tenant, entity, entityId, payload } or throws an Error whose
// message says what is wrong. Add a mapper here, and the source to `sources` in the stack, for each new source.
const mappers = {
  crm: (detail) => ({ tenant: need(detail, "accountId"), entity: "contact", entityId: need(detail, "contactId"), payload: detail }),
  erp: (detail) => ({ tenant: need(detail, "companyCode"), entity: "order", entityId: need(detail, "orderNumber"), payload: detail }),
  iot: (detail) => ({ tenant: need(detail, "fleetId"), entity: "reading", entityId: need(detail, "deviceId"), payload: detail }),
};

export async function handler(event) {
  await put(process.env.RAW_STREAM, event);
  const kind = event.source.split(".").pop();
  const mapper = mappers[kind];
  let mapped;
  try {
    if (!mapper) throw new Error(`no mapper for source ${event.source}`);
    mapped = mapper(event.detail ?? {});
  } catch (error) {
    console.warn(JSON.stringify({ quarantined: event.id, source: event.source, reason: String(error.message ?? error) }));
    return { status: "quarantined", id: event.id };
  }
  await put(process.env.CURATED_STREAM, {
    event_id: event.id,
    source: event.source,
    detail_type: event["detail-type"],
    occurred_at: Date.parse(event.time),
    tenant: String(mapped.tenant),
    entity: mapped.entity,
    entity_id: String(mapped.entityId),
    payload: JSON.stringify(mapped.payload),
  });
  return { status: "curated", id: event.id };
}

function need(detail, field) {
  const value = detail[field];
  if (value === undefined || value === null || value === "") throw new Error(`missing ${field}`);
  return value;
}

async function put(stream, record) {
  // newline-delimited JSON, so Athena, the crawler and the Parquet conversion see one record per line
  await firehose.send(new PutRecordCommand({ DeliveryStreamName: stream, Record: { Data: Buffer.from(`${JSON.stringify(record)}\n`) } }));
}
