// What enrichment adds to a raw interaction event: pure, tested in test/enrich.test.ts.
import type { KinesisStreamRecord } from "aws-lambda";

/** The fields every raw event needs; anything else the producer sends is kept as it is. */
export type RawEvent = { tenantId: string; type: string; userId?: string; sessionId?: string; occurredAt?: string; [field: string]: unknown };
export type Enriched = RawEvent & { tenant: string; session: string; occurred_at: number; arrived_at: number; region: string | undefined };
export type Outcome = { ok: true; partitionKey: string; event: Enriched } | { ok: false; reason: string };

/**
 * One raw record, enriched: the tenant key every later stage partitions and filters by, a session,
 * and the times in milliseconds. A session is the user's activity within `sessionMinutes` of the event
 * time; without a session id, the events of one user in the same window share one.
 */
export function enrich(record: KinesisStreamRecord, settings: { sessionMinutes: number; region: string | undefined }): Outcome {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(record.kinesis.data, "base64").toString("utf8"));
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const raw = body as Partial<RawEvent> | null;
  if (typeof raw?.tenantId !== "string" || typeof raw.type !== "string") return { ok: false, reason: "tenantId and type are required" };
  const arrivedAt = Math.round(record.kinesis.approximateArrivalTimestamp * 1000);
  const occurredAt = Date.parse(raw.occurredAt ?? "") || arrivedAt;
  const event: Enriched = {
    ...(raw as RawEvent),
    tenant: raw.tenantId,
    session: raw.sessionId ?? `${raw.userId ?? "anonymous"}-${Math.floor(occurredAt / (settings.sessionMinutes * 60_000))}`,
    occurred_at: occurredAt,
    arrived_at: arrivedAt,
    region: settings.region,
  };
  return { ok: true, partitionKey: event.tenant, event };
}
