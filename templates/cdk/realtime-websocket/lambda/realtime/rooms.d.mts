// Types of rooms.mjs, for the TypeScript tests that import it.
export type Caller = { userId: string; groups: string[] };
export type Key = { pk: string; sk: string };
export type RoomMessage = { type: "message"; room: string; from: string; text: string | undefined; id: string; at: string };
export declare const MAX_CONNECTION_SECONDS: number;
export declare const EXPIRY_MARGIN_SECONDS: number;
export declare const DELIVERY_BATCH: number;
export declare const MAX_ROOMS: number;
export declare const MAX_TEXT: number;
export declare const ROOM_NAME: RegExp;
export declare function connectionKey(connectionId: string): Key;
export declare function membershipKey(room: string, connectionId: string): Key;
export declare function expiresAt(nowSeconds: number): number;
export declare function mayJoin(caller: Caller, room: string): boolean;
export declare function callerOf(event: { requestContext?: { authorizer?: Record<string, unknown> } }): Caller;
export declare function parseClientMessage(body: string | undefined): { error: string } | { room: string; text?: string; clientMessageId?: string };
export declare function roomMessage(fields: { room: string; from: string; text: string | undefined; id: string; at: string }): RoomMessage;
export declare function liveConnections(items: { sk: string; expiresAt: number | string }[], nowSeconds: number): string[];
export declare function deliveryBatches(connectionIds: string[], size?: number): string[][];
