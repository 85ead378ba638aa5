import { describe, expect, it } from "vitest";
import { eventFromRecord, project, viewFromItem, viewPutRequest, type Event, type View } from "../lambda/projector/projection";

const at = "2026-11-21T12:00:00.000Z";
const event = (version: number, type: string, payload: Record<string, unknown> = {}): Event => ({ aggregateId: "acc-1", version, type, payload, recordedAt: at });
const applyAll = (events: Event[], start?: View) =>
  events.reduce<View | undefined>((view, e) => {
    const outcome = project(view, e);
    return outcome.action === "apply" ? outcome.view : view;
  }, start);

describe("projecting events into the account summary", () => {
  it("builds the view from a run of events and remembers the last version applied", () => {
    const view = applyAll([event(1, "AccountOpened", { owner: "Ada" }), event(2, "MoneyDeposited", { amount: 500 }), event(3, "MoneyWithdrawn", { amount: 120 })]);
    expect(view).toMatchObject({ accountId: "acc-1", owner: "Ada", balance: 380, status: "open", version: 3 });
  });

  it("is idempotent: an event at or below the view's version is skipped", () => {
    const view = applyAll([event(1, "AccountOpened", { owner: "Ada" }), event(2, "MoneyDeposited", { amount: 500 })]);
    expect(project(view, event(2, "MoneyDeposited", { amount: 500 }))).toEqual({ action: "skip" });
    expect(project(view, event(1, "AccountOpened", { owner: "Ada" }))).toEqual({ action: "skip" });
  });

  it("refuses to skip ahead: a missing earlier event is a gap, not an update", () => {
    expect(project(undefined, event(2, "MoneyDeposited", { amount: 5 }))).toEqual({ action: "gap", expected: 1 });
    const view = applyAll([event(1, "AccountOpened", { owner: "Ada" })]);
    expect(project(view, event(3, "MoneyDeposited", { amount: 5 }))).toEqual({ action: "gap", expected: 2 });
  });

  it("moves the version on for event types the view does not show", () => {
    const view = applyAll([event(1, "AccountOpened", { owner: "Ada" }), event(2, "AddressChanged")]);
    expect(view).toMatchObject({ version: 2, balance: 0 });
  });
});

describe("storing a view", () => {
  const view: View = { accountId: "acc-1", version: 4, owner: "Ada", balance: 10, status: "open", openedAt: at, updatedAt: at };

  it("creates the first version only if no view exists", () => {
    expect(viewPutRequest("Views", { ...view, version: 1 }, 0).ConditionExpression).toBe("attribute_not_exists(accountId)");
  });

  it("replaces a view only if it is still at the version the projector read", () => {
    const request = viewPutRequest("Views", view, 3);
    expect(request.ConditionExpression).toBe("#version = :previous");
    expect(request.ExpressionAttributeValues).toEqual({ ":previous": { N: "3" } });
    expect(viewFromItem(request.Item)).toEqual(view);
  });
});

describe("reading the stream", () => {
  it("reads an event from an INSERT record's new image", () => {
    const record = {
      eventID: "1",
      eventName: "INSERT" as const,
      dynamodb: {
        SequenceNumber: "100",
        NewImage: { aggregateId: { S: "acc-1" }, version: { N: "2" }, type: { S: "MoneyDeposited" }, payload: { S: '{"amount":5}' }, recordedAt: { S: at } },
      },
    };
    expect(eventFromRecord(record)).toEqual(event(2, "MoneyDeposited", { amount: 5 }));
  });

  it("fails loudly on a record that is not an event", () => {
    expect(() => eventFromRecord({ eventID: "9", dynamodb: { NewImage: { other: { S: "x" } } } })).toThrow(/not an event record/);
  });
});
