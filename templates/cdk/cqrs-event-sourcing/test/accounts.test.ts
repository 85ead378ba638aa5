import { describe, expect, it } from "vitest";
import { appendRequest, decide, eventFromItem, initialState, parseCommand, replay, type Command, type Event } from "../lambda/command/accounts";

const events = (...types: [string, Record<string, unknown>][]): Event[] =>
  types.map(([type, payload], i) => ({ aggregateId: "acc-1", version: i + 1, type, payload }));
const opened = events(["AccountOpened", { owner: "Ada" }], ["MoneyDeposited", { amount: 500 }], ["MoneyWithdrawn", { amount: 200 }]);
const command = (c: Partial<Command> & Pick<Command, "type">): Command => ({ aggregateId: "acc-1", ...c });

describe("replaying events", () => {
  it("folds an account's events into its current state and version", () => {
    expect(replay(opened)).toEqual({ version: 3, status: "open", owner: "Ada", balance: 300 });
    expect(replay([])).toEqual(initialState());
  });

  it("moves the version past event types it does not know", () => {
    expect(replay([...opened, { aggregateId: "acc-1", version: 4, type: "AddressChanged", payload: {} }])).toMatchObject({ version: 4, balance: 300 });
  });
});

describe("deciding a command", () => {
  it("turns an accepted command into exactly one event with the next version", () => {
    const decision = decide(replay(opened), command({ type: "Deposit", amount: 50 }));
    expect(decision).toEqual({ ok: true, event: { aggregateId: "acc-1", version: 4, type: "MoneyDeposited", payload: { amount: 50 } } });
  });

  it("answers 409 when the caller's expected version is stale", () => {
    expect(decide(replay(opened), command({ type: "Deposit", amount: 50, expectedVersion: 2 }))).toMatchObject({ ok: false, status: 409 });
    expect(decide(replay(opened), command({ type: "Deposit", amount: 50, expectedVersion: 3 }))).toMatchObject({ ok: true });
  });

  it("enforces the account's rules with 422", () => {
    expect(decide(replay(opened), command({ type: "OpenAccount", owner: "Bob" }))).toMatchObject({ ok: false, status: 422 });
    expect(decide(replay(opened), command({ type: "Withdraw", amount: 301 }))).toMatchObject({ ok: false, status: 422 });
    expect(decide(replay(opened), command({ type: "CloseAccount" }))).toMatchObject({ ok: false, status: 422 });
    expect(decide(initialState(), command({ type: "Deposit", amount: 1 }))).toMatchObject({ ok: false, status: 422 });
    expect(decide(initialState(), command({ type: "OpenAccount", owner: "Bob" }))).toMatchObject({ ok: true, event: { version: 1, type: "AccountOpened" } });
  });
});

describe("appending an event", () => {
  const meta = { recordedAt: "2026-11-21T12:00:00.000Z", requestId: "req-1" };

  it("is a put that fails instead of replacing when the version already exists", () => {
    const request = appendRequest("Events", { aggregateId: "acc-1", version: 4, type: "MoneyDeposited", payload: { amount: 50 } }, meta);
    expect(request.ConditionExpression).toBe("attribute_not_exists(#version)");
    expect(request.ExpressionAttributeNames).toEqual({ "#version": "version" });
    expect(request.Item.aggregateId).toEqual({ S: "acc-1" });
    expect(request.Item.version).toEqual({ N: "4" });
  });

  it("makes two racing commands on one account compete for the same key, so the conditional put admits one", () => {
    const state = replay(opened);
    const first = decide(state, command({ type: "Withdraw", amount: 300 }));
    const second = decide(state, command({ type: "Withdraw", amount: 300 }));
    if (!first.ok || !second.ok) throw new Error("both commands should pass on the state they read");
    // a stand-in for DynamoDB that honours attribute_not_exists on the item's key
    const table = new Map<string, unknown>();
    const put = (request: ReturnType<typeof appendRequest>) => {
      const key = `${request.Item.aggregateId?.S}#${request.Item.version?.N}`;
      if (request.ConditionExpression.startsWith("attribute_not_exists") && table.has(key)) return "ConditionalCheckFailed";
      table.set(key, request.Item);
      return "ok";
    };
    expect(put(appendRequest("Events", first.event, meta))).toBe("ok");
    expect(put(appendRequest("Events", second.event, meta))).toBe("ConditionalCheckFailed");
    expect(table.size).toBe(1);
  });

  it("round-trips an event through its item", () => {
    const event = { aggregateId: "acc-1", version: 2, type: "MoneyDeposited", payload: { amount: 7 } };
    expect(eventFromItem(appendRequest("Events", event, meta).Item)).toEqual(event);
  });
});

describe("parsing a command", () => {
  it("accepts a well-formed command", () => {
    expect(parseCommand("acc-1", JSON.stringify({ type: "Deposit", amount: 25, expectedVersion: 3 }))).toEqual({
      ok: true,
      command: { type: "Deposit", aggregateId: "acc-1", amount: 25, expectedVersion: 3 },
    });
  });

  it.each([
    ["a bad id", "acc 1", { type: "CloseAccount" }],
    ["an unknown type", "acc-1", { type: "Transfer" }],
    ["a fractional amount", "acc-1", { type: "Deposit", amount: 1.5 }],
    ["a negative amount", "acc-1", { type: "Withdraw", amount: -1 }],
    ["an empty owner", "acc-1", { type: "OpenAccount", owner: " " }],
    ["a negative expected version", "acc-1", { type: "CloseAccount", expectedVersion: -1 }],
  ])("rejects %s with 400", (_, id, body) => {
    expect(parseCommand(id, JSON.stringify(body))).toMatchObject({ ok: false, status: 400 });
  });

  it("rejects a body that is not JSON", () => {
    expect(parseCommand("acc-1", "{")).toMatchObject({ ok: false, status: 400 });
  });
});
