// Types of accounts.mjs, for the TypeScript tests that import it.
export type Event = { aggregateId: string; version: number; type: string; payload: Record<string, unknown> };
export type State = { version: number; status: "none" | "open" | "closed"; owner: string | undefined; balance: number };
export type Command = {
  type: "OpenAccount" | "Deposit" | "Withdraw" | "CloseAccount";
  aggregateId: string;
  expectedVersion?: number;
  owner?: string;
  amount?: number;
};
export type Rejection = { ok: false; status: number; message: string };
export type AttributeValue = { S?: string; N?: string };
export type Item = Record<string, AttributeValue>;

export declare const EVENT_ATTRIBUTES: readonly string[];
export declare const COMMAND_TYPES: readonly Command["type"][];
export declare function initialState(): State;
export declare function evolve(state: State, event: Event): State;
export declare function replay(events: readonly Event[]): State;
export declare function parseCommand(aggregateId: unknown, body: unknown): { ok: true; command: Command } | Rejection;
export declare function decide(state: State, command: Command): { ok: true; event: Event } | Rejection;
export declare function appendRequest(
  tableName: string,
  event: Event,
  meta: { recordedAt: string; requestId: string },
): { TableName: string; Item: Item; ConditionExpression: string; ExpressionAttributeNames: Record<string, string> };
export declare function loadRequest(tableName: string, aggregateId: string, exclusiveStartKey?: Item): Record<string, unknown>;
export declare function eventFromItem(item: Item): Event;
