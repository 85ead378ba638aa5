import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CLAIM_SECONDS, DONE_SECONDS, type Envelope, handler } from "../lambda/consumer/index";

const ddb = mockClient(DynamoDBDocumentClient);
const bus = mockClient(EventBridgeClient);

const placed = (orderId: string, id = `evt-${orderId}`): Envelope => ({ id, source: "shop.orders", "detail-type": "OrderPlaced", detail: { orderId, customerId: "c-1" } });
const batch = (...bodies: (Envelope | string)[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, body: typeof body === "string" ? body : JSON.stringify(body) }) as SQSEvent["Records"][number]),
});
const claimTaken = (status: string) =>
  new ConditionalCheckFailedException({ message: "claimed", $metadata: {}, Item: { pk: { S: "x" }, status: { S: status } } });

beforeEach(() => {
  Object.assign(process.env, { TABLE_NAME: "state", CONSUMER: "shipping", BUS_NAME: "orders-bus", SOURCE_PREFIX: "shop" });
  ddb.reset();
  bus.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe("consumer", () => {
  it("claims the business fact, does the work, then marks the claim done for a week", async () => {
    expect(await handler(batch(placed("o-1")))).toEqual({ batchItemFailures: [] });
    const claim = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(claim.Item).toMatchObject({ pk: "shipping#OrderPlaced#o-1", status: "in-progress" });
    expect(claim.Item!.expiresAt - Math.floor(Date.now() / 1000)).toBeCloseTo(CLAIM_SECONDS, -1);
    expect(claim.ConditionExpression).toBe("attribute_not_exists(pk) OR (#status = :inProgress AND expiresAt < :now)");
    const done = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(done.Key).toEqual({ pk: "shipping#OrderPlaced#o-1" });
    expect(done.ExpressionAttributeValues).toMatchObject({ ":done": "done", ":type": "OrderPlaced" });
    expect(done.ExpressionAttributeValues![":expires"] - Math.floor(Date.now() / 1000)).toBeCloseTo(DONE_SECONDS, -1);
  });

  it("shipping announces OrderShipped under its own source, carrying the correlation id", async () => {
    await handler(batch(placed("o-2", "evt-9")));
    const [entry] = bus.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entry).toMatchObject({ EventBusName: "orders-bus", Source: "shop.shipping", DetailType: "OrderShipped" });
    expect(JSON.parse(entry!.Detail!)).toMatchObject({ orderId: "o-2", customerId: "c-1", correlationId: "evt-9" });
  });

  it("notifications publish nothing", async () => {
    process.env.CONSUMER = "notifications";
    await handler(batch(placed("o-3")));
    expect(bus.calls()).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!.pk).toBe("notifications#OrderPlaced#o-3");
  });

  it("skips a fact already done, even under a new event id", async () => {
    ddb.on(PutCommand).rejects(claimTaken("done"));
    expect(await handler(batch(placed("o-1", "evt-retry")))).toEqual({ batchItemFailures: [] });
    expect(bus.calls()).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("fails a message whose fact another attempt is working on, so the queue offers it again later", async () => {
    ddb.on(PutCommand).rejects(claimTaken("in-progress"));
    expect(await handler(batch(placed("o-1")))).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }] });
    expect(bus.calls()).toHaveLength(0);
  });

  it("releases the claim when the work fails, and reports only that message", async () => {
    bus.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure" }] }).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-2" }] });
    const result = await handler(batch(placed("o-4"), placed("o-5"), "not json"));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m0" }, { itemIdentifier: "m2" }]);
    expect(ddb.commandCalls(DeleteCommand).map(({ args: [c] }) => c.input.Key)).toEqual([{ pk: "shipping#OrderPlaced#o-4" }]);
    expect(ddb.commandCalls(UpdateCommand).map(({ args: [c] }) => c.input.Key)).toEqual([{ pk: "shipping#OrderPlaced#o-5" }]);
  });

  it("keys an event without an order id by its event id", async () => {
    await handler(batch({ id: "evt-77", source: "shop.orders", "detail-type": "InventoryCounted" }));
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!.pk).toBe("shipping#evt-77");
  });
});
