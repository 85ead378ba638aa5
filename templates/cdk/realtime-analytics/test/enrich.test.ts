import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from "@aws-sdk/client-kinesis";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { enrich } from "../lambda/enrich/enrichment";
import { handler } from "../lambda/enrich/index";
import { kinesisBatch, useEnv } from "./support/lambda-events";

const kinesis = mockClient(KinesisClient);
const STREAM = "arn:aws:kinesis:eu-west-1:111122223333:stream/enriched";
const ARRIVED = 1_767_225_600; // seconds, as Kinesis reports it
const click = (extra: Record<string, unknown> = {}) => ({ tenantId: "acme", type: "click", userId: "u-1", ...extra });
/** What the handler put on the enriched stream, call by call: [partition key, event] per record. */
const accepted = async (input: PutRecordsCommandInput) => ({ FailedRecordCount: 0, Records: input.Records!.map((_, i) => ({ SequenceNumber: String(i) })) });
const written = () =>
  kinesis.commandCalls(PutRecordsCommand).map((c) => c.args[0].input.Records!.map((r) => [r.PartitionKey, JSON.parse(Buffer.from(r.Data!).toString("utf8"))] as const));

useEnv({ ENRICHED_STREAM_ARN: STREAM, SESSION_MINUTES: "30", AWS_REGION: "eu-west-1" });
beforeEach(() => {
  kinesis.reset();
  kinesis.on(PutRecordsCommand).callsFake(accepted);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});

describe("enriching one event", () => {
  const record = (payload: unknown) => kinesisBatch([payload], ARRIVED).Records[0]!;
  const settings = { sessionMinutes: 30, region: "eu-west-1" };

  it("keys it by tenant and adds the session, the times in milliseconds and the Region", () => {
    expect(enrich(record(click({ occurredAt: "2025-12-31T23:59:00.000Z", page: "/pricing" })), settings)).toEqual({
      ok: true,
      partitionKey: "acme",
      event: { ...click({ occurredAt: "2025-12-31T23:59:00.000Z", page: "/pricing" }), tenant: "acme", session: `u-1-${Math.floor(Date.parse("2025-12-31T23:59:00.000Z") / 1_800_000)}`, occurred_at: 1_767_225_540_000, arrived_at: 1_767_225_600_000, region: "eu-west-1" },
    });
  });

  it("keeps the producer's session id, and times an event without its own time by its arrival", () => {
    const outcome = enrich(record(click({ sessionId: "s-42" })), settings);
    expect(outcome).toMatchObject({ ok: true, event: { session: "s-42", occurred_at: ARRIVED * 1000 } });
    expect(enrich(record({ tenantId: "acme", type: "view" }), settings)).toMatchObject({ event: { session: `anonymous-${Math.floor((ARRIVED * 1000) / 1_800_000)}` } });
  });

  it("refuses a record that is not JSON, or has no tenant or type", () => {
    expect(enrich(record("{oops"), settings)).toEqual({ ok: false, reason: "not JSON" });
    expect(enrich(record({ type: "click" }), settings)).toEqual({ ok: false, reason: "tenantId and type are required" });
    expect(enrich(record(null), settings)).toEqual({ ok: false, reason: "tenantId and type are required" });
  });
});

describe("the enrichment function", () => {
  it("writes the batch's valid events to the enriched stream, keyed by tenant, and drops the rest", async () => {
    expect(await handler(kinesisBatch([click(), "not json", click({ tenantId: "globex" })], ARRIVED))).toEqual({ batchItemFailures: [] });
    expect(kinesis.commandCalls(PutRecordsCommand)[0]!.args[0].input.StreamARN).toBe(STREAM);
    expect(written()).toEqual([
      [
        ["acme", expect.objectContaining({ tenant: "acme", region: "eu-west-1" })],
        ["globex", expect.objectContaining({ tenant: "globex" })],
      ],
    ]);
    expect(console.warn).toHaveBeenCalledWith(JSON.stringify({ dropped: "2", reason: "not JSON" }));
  });

  it("retries only the records Kinesis refused, then succeeds", async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 1, Records: [{ SequenceNumber: "a" }, { ErrorCode: "ProvisionedThroughputExceededException" }, { SequenceNumber: "c" }] })
      .callsFake(accepted);
    expect(await handler(kinesisBatch([click({ n: 1 }), click({ n: 2 }), click({ n: 3 })], ARRIVED))).toEqual({ batchItemFailures: [] });
    expect(written().map((call) => call.map(([, e]) => e.n))).toEqual([[1, 2, 3], [2]]);
  });

  it("after three refusals reports the first record not written, so Lambda retries from it", async () => {
    kinesis.on(PutRecordsCommand).callsFake(async (input: PutRecordsCommandInput) => ({ Records: input.Records!.map((_, i) => (i === input.Records!.length - 1 ? { ErrorCode: "InternalFailure" } : { SequenceNumber: "ok" })) }));
    expect(await handler(kinesisBatch([click({ n: 1 }), click({ n: 2 }), click({ n: 3 })], ARRIVED))).toEqual({ batchItemFailures: [{ itemIdentifier: "3" }] });
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(3);
  });

  it("writes at most 500 records a call, and stops at the first chunk it cannot write", async () => {
    const events = Array.from({ length: 1001 }, (_, n) => click({ n }));
    kinesis.on(PutRecordsCommand).callsFake(async (input: PutRecordsCommandInput) => ({
      Records: input.Records!.map((r) => ((JSON.parse(Buffer.from(r.Data!).toString("utf8")) as { n: number }).n === 700 ? { ErrorCode: "InternalFailure" } : {})),
    }));
    expect(await handler(kinesisBatch(events, ARRIVED))).toEqual({ batchItemFailures: [{ itemIdentifier: "701" }] });
    // 500 written, then 500 with record 701 refused three times; the last record is never sent
    expect(kinesis.commandCalls(PutRecordsCommand).map((c) => c.args[0].input.Records!.length)).toEqual([500, 500, 1, 1]);
  });
});
