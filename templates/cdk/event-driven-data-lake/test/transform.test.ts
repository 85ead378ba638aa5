import { FirehoseClient, PutRecordCommand } from "@aws-sdk/client-firehose";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CuratedRecord, handler, type SourceEvent } from "../lambda/transform/index";

const firehose = mockClient(FirehoseClient);
const event = (source: string, detail: Record<string, unknown>): SourceEvent => ({
  id: "evt-1",
  version: "0",
  account: "111122223333",
  region: "us-east-1",
  time: "2026-12-01T10:00:00Z",
  resources: [],
  source,
  "detail-type": "Changed",
  detail,
});
/** The records sent to a stream, decoded from newline-delimited JSON. */
const sentTo = (stream: string) =>
  firehose
    .commandCalls(PutRecordCommand)
    .filter(({ args: [c] }) => c.input.DeliveryStreamName === stream)
    .map(({ args: [c] }) => {
      const text = Buffer.from(c.input.Record!.Data!).toString();
      expect(text.endsWith("\n")).toBe(true);
      return JSON.parse(text) as unknown;
    });

beforeEach(() => {
  Object.assign(process.env, { RAW_STREAM: "raw", CURATED_STREAM: "curated" });
  firehose.reset();
  firehose.on(PutRecordCommand).resolves({ RecordId: "r-1" });
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe("transform", () => {
  it("keeps the event as received in the raw zone and maps it to the curated layout", async () => {
    const crm = event("com.example.crm", { accountId: 42, contactId: "c-7", email: "a@example.com" });
    expect(await handler(crm)).toEqual({ status: "curated", id: "evt-1" });
    expect(sentTo("raw")).toEqual([crm]);
    expect(sentTo("curated")).toEqual([
      {
        event_id: "evt-1",
        source: "com.example.crm",
        detail_type: "Changed",
        occurred_at: Date.parse("2026-12-01T10:00:00Z"),
        tenant: "42",
        entity: "contact",
        entity_id: "c-7",
        payload: JSON.stringify({ accountId: 42, contactId: "c-7", email: "a@example.com" }),
      } satisfies CuratedRecord,
    ]);
  });

  it("picks the mapper by the last part of the source", async () => {
    await handler(event("acme.plant.erp", { companyCode: "DE01", orderNumber: 5001 }));
    await handler(event("com.example.iot", { fleetId: "f-1", deviceId: "d-9", celsius: 21.5 }));
    expect(sentTo("curated")).toMatchObject([
      { tenant: "DE01", entity: "order", entity_id: "5001" },
      { tenant: "f-1", entity: "reading", entity_id: "d-9" },
    ]);
  });

  it("quarantines an event missing a field its mapper needs: raw zone only, reason logged", async () => {
    expect(await handler(event("com.example.erp", { companyCode: "DE01", orderNumber: "" }))).toEqual({ status: "quarantined", id: "evt-1" });
    expect(sentTo("raw")).toHaveLength(1);
    expect(sentTo("curated")).toHaveLength(0);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("missing orderNumber"));
  });

  it("quarantines an event from a source without a mapper", async () => {
    expect(await handler(event("com.example.billing", { invoice: 1 }))).toEqual({ status: "quarantined", id: "evt-1" });
    expect(sentTo("curated")).toHaveLength(0);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("no mapper for source com.example.billing"));
  });

  it("fails the invocation when the raw zone cannot take the event, so EventBridge retries it", async () => {
    firehose.on(PutRecordCommand, { DeliveryStreamName: "raw" }).rejects(new Error("ServiceUnavailableException"));
    await expect(handler(event("com.example.crm", { accountId: 1, contactId: "c" }))).rejects.toThrow("ServiceUnavailableException");
    expect(sentTo("curated")).toHaveLength(0);
  });
});
