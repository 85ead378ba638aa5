import { describe, expect, it } from "vitest";
import {
  DELIVERY_BATCH,
  EXPIRY_MARGIN_SECONDS,
  MAX_CONNECTION_SECONDS,
  MAX_TEXT,
  callerOf,
  connectionKey,
  deliveryBatches,
  expiresAt,
  liveConnections,
  mayJoin,
  membershipKey,
  parseClientMessage,
} from "../lambda/realtime/rooms";

const dispatcher = { userId: "u-1", groups: ["depot-42"] };

describe("connections and rooms", () => {
  it("keys connections and memberships so a room is one partition", () => {
    expect(connectionKey("abc=")).toEqual({ pk: "conn#abc=", sk: "conn" });
    expect(membershipKey("depot-42:incidents", "abc=")).toEqual({ pk: "room#depot-42:incidents", sk: "conn#abc=" });
  });

  it("expires every item a little after the longest a WebSocket connection can live", () => {
    expect(MAX_CONNECTION_SECONDS).toBe(7200);
    expect(expiresAt(1000)).toBe(1000 + 7200 + EXPIRY_MARGIN_SECONDS);
  });

  it("lets people join the lobby, their own user room and their groups' rooms only", () => {
    expect(mayJoin(dispatcher, "lobby")).toBe(true);
    expect(mayJoin(dispatcher, "user:u-1")).toBe(true);
    expect(mayJoin(dispatcher, "user:u-2")).toBe(false);
    expect(mayJoin(dispatcher, "depot-42:incidents")).toBe(true);
    expect(mayJoin(dispatcher, "depot-7:incidents")).toBe(false);
    expect(mayJoin(dispatcher, "depot-42")).toBe(false);
    expect(mayJoin({ userId: "a", groups: ["admins"] }, "depot-7:incidents")).toBe(true);
    expect(mayJoin({ userId: "a", groups: ["admins"] }, "bad room")).toBe(false);
  });

  it("takes the caller from the authorizer context, never from the message", () => {
    expect(callerOf({ requestContext: { authorizer: { userId: "u-1", groups: "depot-42,drivers" } } })).toEqual({ userId: "u-1", groups: ["depot-42", "drivers"] });
    expect(callerOf({ requestContext: { authorizer: { userId: "u-1", groups: "" } } })).toEqual({ userId: "u-1", groups: [] });
    expect(() => callerOf({ requestContext: {} })).toThrow(/authorizer/);
  });

  it("checks what clients send", () => {
    expect(parseClientMessage('{"action":"send","room":"lobby","text":"hi"}')).toEqual({ room: "lobby", text: "hi", clientMessageId: undefined });
    expect(parseClientMessage("not json")).toEqual({ error: "the message is not JSON" });
    expect(parseClientMessage('{"room":"no spaces allowed"}')).toHaveProperty("error");
    expect(parseClientMessage(JSON.stringify({ room: "lobby", text: "x".repeat(MAX_TEXT + 1) }))).toHaveProperty("error");
    expect(parseClientMessage(JSON.stringify({ room: "lobby", clientMessageId: 7 }))).toHaveProperty("error");
  });

  it("skips memberships whose connection has expired but TTL has not yet deleted", () => {
    const items = [
      { sk: "conn#a", expiresAt: 2000 },
      { sk: "conn#b", expiresAt: 999 },
      { sk: "conn#c", expiresAt: "1500" },
    ];
    expect(liveConnections(items, 1000)).toEqual(["a", "c"]);
  });

  it("splits a large room into delivery batches of at most 100 connections", () => {
    const ids = Array.from({ length: 250 }, (_, i) => `c${i}`);
    const batches = deliveryBatches(ids);
    expect(DELIVERY_BATCH).toBe(100);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(ids);
    expect(deliveryBatches([])).toEqual([]);
  });
});
