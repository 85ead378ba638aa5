// Connections, rooms and messages as pure functions (tested in test/rooms.test.ts); the route, fan-out
// and delivery functions do the I/O.
//
// Table layout (one table, pk + sk, TTL on expiresAt):
//   conn#<connectionId> / conn            the connection: userId, connectedAt, rooms (a string set)
//   room#<room>        / conn#<id>        a membership: userId
// Every item expires shortly after the two hours a WebSocket connection can live, so a connection whose
// $disconnect never arrived disappears on its own; reads skip expired items until TTL deletes them.

export type Caller = { userId: string; groups: string[] };
export type Key = { pk: string; sk: string };
export type RoomMessage = { type: "message"; room: string; from: string; text: string | undefined; id: string; at: string };
export type ClientMessage = { room: string; text: string | undefined; clientMessageId: string | undefined };
/** What `callerOf` reads of a route's event: the context the authorizer returned (an APIGatewayProxyWebsocketEventV2 fits). */
export type WithAuthorizer = { requestContext?: { authorizer?: unknown } };
/** A room message as it travels on the room queue, and in a follow-up carrying the membership page cursor. */
export type RoomWork = { room: string; payload: RoomMessage; cursor?: Record<string, unknown> | undefined };
/** A delivery batch as it travels on the delivery queue. */
export type DeliveryWork = { room: string; payload: RoomMessage; connections: string[]; attempt?: number };

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

export const connectionKey = (connectionId: string): Key => ({ pk: `conn#${connectionId}`, sk: "conn" });
export const membershipKey = (room: string, connectionId: string): Key => ({ pk: `room#${room}`, sk: `conn#${connectionId}` });
export const expiresAt = (nowSeconds: number): number => nowSeconds + MAX_CONNECTION_SECONDS + EXPIRY_MARGIN_SECONDS;

/**
 * Who may join which room: `lobby` is open to everyone signed in; `user:<id>` only to that user (their
 * own notifications); `<group>:<topic>` to members of that Cognito group; `admins` may join any room.
 * Replace with your own rules; they run on the server for every join.
 */
export function mayJoin(caller: Caller, room: string): boolean {
  if (!ROOM_NAME.test(room)) return false;
  if (caller.groups.includes("admins")) return true;
  if (room === "lobby") return true;
  const [scope, topic] = room.split(":");
  if (scope === undefined || topic === undefined) return false;
  if (scope === "user") return topic === caller.userId;
  return caller.groups.includes(scope);
}

/** The caller as the authorizer described it (the context every route receives). */
export function callerOf(event: WithAuthorizer): Caller {
  const context = (event.requestContext?.authorizer ?? {}) as { userId?: unknown; groups?: unknown };
  if (typeof context.userId !== "string" || context.userId === "") throw new Error("no authorizer context");
  return { userId: context.userId, groups: typeof context.groups === "string" && context.groups !== "" ? context.groups.split(",") : [] };
}

/** A client's message body, checked: `{ action, room, text?, clientMessageId? }`. */
export function parseClientMessage(body: string | undefined): { error: string } | ClientMessage {
  let message: unknown;
  try {
    message = JSON.parse(body ?? "");
  } catch {
    return { error: "the message is not JSON" };
  }
  if (typeof message !== "object" || message === null) return { error: "the message is not an object" };
  const { room, text, clientMessageId } = message as { room?: unknown; text?: unknown; clientMessageId?: unknown };
  if (typeof room !== "string" || !ROOM_NAME.test(room)) return { error: "room must be a name like lobby or team-a:alerts" };
  if (text !== undefined && (typeof text !== "string" || text.length === 0 || text.length > MAX_TEXT)) return { error: `text must be 1 to ${MAX_TEXT} characters` };
  if (clientMessageId !== undefined && (typeof clientMessageId !== "string" || clientMessageId.length > 64)) return { error: "clientMessageId must be a string of at most 64 characters" };
  return { room, text, clientMessageId };
}

/** What is pushed to every member of the room. */
export function roomMessage({ room, from, text, id, at }: Omit<RoomMessage, "type">): RoomMessage {
  return { type: "message", room, from, text, id, at };
}

/** Live members' connection ids from a page of membership items (expired ones left out). */
export function liveConnections(items: readonly Record<string, unknown>[], nowSeconds: number): string[] {
  return items.filter((item) => Number(item.expiresAt) > nowSeconds).map((item) => String(item.sk).slice("conn#".length));
}

/** Connection ids split into delivery batches. */
export function deliveryBatches(connectionIds: readonly string[], size = DELIVERY_BATCH): string[][] {
  const batches: string[][] = [];
  for (let i = 0; i < connectionIds.length; i += size) batches.push(connectionIds.slice(i, i + size));
  return batches;
}
