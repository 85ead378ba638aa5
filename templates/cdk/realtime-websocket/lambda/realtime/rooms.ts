// Connections, rooms and messages as pure functions (tested in test/rooms.test.ts); the route, fan-out
// and delivery functions do the I/O.
//
// Table layout (one table, pk + sk, TTL on expiresAt):
//   conn#<connectionId> / conn            the connection: userId, connectedAt, rooms (a string set)
//   room#<room>        / conn#<id>        a membership: userId
// Every item expires shortly after the two hours a WebSocket connection can live, so a connection whose
// $disconnect never arrived disappears on its own; reads skip expired items until TTL deletes them.

/** API Gateway closes a WebSocket connection after two hours at most. */
export const MAX_CONNECTION_SECONDS = 2 * 60 * 60;
/** Items outlive their connection by this margin, then expire. */
export const EXPIRY_MARGIN_SECONDS = 5 * 60;
/** Connections per delivery message: small enough for one function to post to quickly. */
export const DELIVERY_BATCH = 100;
/** Rooms one connection may join. */
export const MAX_ROOMS = 20;
/** Characters of text in one message; the whole payload stays far below the 32 KB WebSocket frame. */
export const MAX_TEXT = 4000;

export const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_.-]{1,64})?$/;

export const connectionKey = (connectionId) => ({ pk: `conn#${connectionId}`, sk: "conn" });
export const membershipKey = (room, connectionId) => ({ pk: `room#${room}`, sk: `conn#${connectionId}` });
export const expiresAt = (nowSeconds) => nowSeconds + MAX_CONNECTION_SECONDS + EXPIRY_MARGIN_SECONDS;

/**
 * Who may join which room: `lobby` is open to everyone signed in; `user:<id>` only to that user (their
 * own notifications); `<group>:<topic>` to members of that Cognito group; `admins` may join any room.
 * Replace with your own rules; they run on the server for every join.
 */
export function mayJoin(caller, room) {
  if (!ROOM_NAME.test(room)) return false;
  if (caller.groups.includes("admins")) return true;
  if (room === "lobby") return true;
  const [scope, topic] = room.split(":");
  if (topic === undefined) return false;
  if (scope === "user") return topic === caller.userId;
  return caller.groups.includes(scope);
}

/** The caller as the authorizer described it (the context every route receives). */
export function callerOf(event) {
  const context = event.requestContext?.authorizer ?? {};
  if (typeof context.userId !== "string" || context.userId === "") throw new Error("no authorizer context");
  return { userId: context.userId, groups: typeof context.groups === "string" && context.groups !== "" ? context.groups.split(",") : [] };
}

/** A client's message body, checked: `{ action, room, text?, clientMessageId? }`. */
export function parseClientMessage(body) {
  let message;
  try {
    message = JSON.parse(body ?? "");
  } catch {
    return { error: "the message is not JSON" };
  }
  if (typeof message !== "object" || message === null) return { error: "the message is not an object" };
  const { room, text, clientMessageId } = message;
  if (typeof room !== "string" || !ROOM_NAME.test(room)) return { error: "room must be a name like lobby or team-a:alerts" };
  if (text !== undefined && (typeof text !== "string" || text.length === 0 || text.length > MAX_TEXT)) return { error: `text must be 1 to ${MAX_TEXT} characters` };
  if (clientMessageId !== undefined && (typeof clientMessageId !== "string" || clientMessageId.length > 64)) return { error: "clientMessageId must be a string of at most 64 characters" };
  return { room, text, clientMessageId };
}

/** What is pushed to every member of the room. */
export function roomMessage({ room, from, text, id, at }) {
  return { type: "message", room, from, text, id, at };
}

/** Live members' connection ids from a page of membership items (expired ones left out). */
export function liveConnections(items, nowSeconds) {
  return items.filter((item) => Number(item.expiresAt) > nowSeconds).map((item) => String(item.sk).slice("conn#".length));
}

/** Connection ids split into delivery batches. */
export function deliveryBatches(connectionIds, size = DELIVERY_BATCH) {
  const batches = [];
  for (let i = 0; i < connectionIds.length; i += size) batches.push(connectionIds.slice(i, i + size));
  return batches;
}
