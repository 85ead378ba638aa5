// The write model of an account, as pure functions: no AWS calls, no clock, no environment, so the
// rules can be tested on their own (test/accounts.test.ts). index.ts does the I/O around them.
//
// An account's state is never stored: it is the fold of its events (`replay`). A command is checked
// against that state (`decide`) and, if accepted, becomes exactly one new event with the next version
// number, which `appendRequest` turns into a conditional put that fails if the version exists.
import type { AttributeValue, PutItemCommandInput, QueryCommandInput } from "@aws-sdk/client-dynamodb";

export type Item = Record<string, AttributeValue>;
export type Event = { aggregateId: string; version: number; type: string; payload: Record<string, unknown> };
export type State = { version: number; status: "none" | "open" | "closed"; owner: string | undefined; balance: number };
export type CommandType = (typeof COMMAND_TYPES)[number];
export type Command = { type: CommandType; aggregateId: string; expectedVersion?: number | undefined; owner?: string; amount?: number };
export type Rejection = { ok: false; status: number; message: string };

/** The attributes of an event item; the command role's IAM policy allows PutItem with these and no others. */
export const EVENT_ATTRIBUTES = ["aggregateId", "version", "type", "payload", "recordedAt", "requestId"] as const;

export const COMMAND_TYPES = ["OpenAccount", "Deposit", "Withdraw", "CloseAccount"] as const;
/** Account ids: the same rule in the command and the query function. */
export const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_AMOUNT = 1_000_000_000; // in cents

/** State before the first event. `version` is the number of events applied. */
export function initialState(): State {
  return { version: 0, status: "none", owner: undefined, balance: 0 };
}

/** Applies one stored event to the state. Unknown event types are skipped, so old code can read newer streams. */
export function evolve(state: State, event: Event): State {
  const next = { ...state, version: event.version };
  switch (event.type) {
    case "AccountOpened":
      return { ...next, status: "open", owner: String(event.payload.owner), balance: 0 };
    case "MoneyDeposited":
      return { ...next, balance: state.balance + Number(event.payload.amount) };
    case "MoneyWithdrawn":
      return { ...next, balance: state.balance - Number(event.payload.amount) };
    case "AccountClosed":
      return { ...next, status: "closed" };
    default:
      return next;
  }
}

/** The current state of an aggregate from its events, oldest first. */
export function replay(events: readonly Event[]): State {
  return events.reduce(evolve, initialState());
}

/**
 * Reads a command from the path id and the JSON body. Returns `{ ok: true, command }` or
 * `{ ok: false, status, message }` with the HTTP status to answer.
 */
export function parseCommand(aggregateId: unknown, body: unknown): { ok: true; command: Command } | Rejection {
  if (typeof aggregateId !== "string" || !ACCOUNT_ID.test(aggregateId)) return reject(400, "the account id must be 1-64 letters, digits, '-' or '_'");
  let input: unknown;
  try {
    input = typeof body === "string" ? JSON.parse(body) : body;
  } catch {
    return reject(400, "the body must be JSON");
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) return reject(400, "the body must be a JSON object");
  const fields = input as Record<string, unknown>;
  const type = COMMAND_TYPES.find((t) => t === fields.type);
  if (type === undefined) return reject(400, `type must be one of ${COMMAND_TYPES.join(", ")}`);
  const expectedVersion = fields.expectedVersion;
  if (expectedVersion !== undefined && !(Number.isInteger(expectedVersion) && (expectedVersion as number) >= 0)) {
    return reject(400, "expectedVersion must be a whole number, 0 or more");
  }
  const command: Command = { type, aggregateId, expectedVersion: expectedVersion as number | undefined };
  if (type === "OpenAccount") {
    const owner = fields.owner;
    if (typeof owner !== "string" || owner.trim() === "" || owner.length > 200) return reject(400, "owner must be a non-empty string of at most 200 characters");
    return { ok: true, command: { ...command, owner: owner.trim() } };
  }
  if (type === "Deposit" || type === "Withdraw") {
    const amount = fields.amount;
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) return reject(400, `amount must be a whole number of cents from 1 to ${MAX_AMOUNT}`);
    return { ok: true, command: { ...command, amount } };
  }
  return { ok: true, command };
}

/**
 * Checks a command against the current state. Returns `{ ok: true, event }` with the one event to
 * append (version = state.version + 1), or `{ ok: false, status, message }`: 409 when the caller's
 * expectedVersion is stale, 422 when the account's rules forbid the command.
 */
export function decide(state: State, command: Command): { ok: true; event: Event } | Rejection {
  if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
    return reject(409, `the account is at version ${state.version}, not ${command.expectedVersion}: reload it and retry`);
  }
  const event = (type: string, payload: Record<string, unknown>) => ({ ok: true as const, event: { aggregateId: command.aggregateId, version: state.version + 1, type, payload } });
  const amount = command.amount ?? 0;
  switch (command.type) {
    case "OpenAccount":
      return state.status === "none" ? event("AccountOpened", { owner: command.owner }) : reject(422, "the account already exists");
    case "Deposit":
      if (state.status !== "open") return reject(422, "the account is not open");
      return event("MoneyDeposited", { amount });
    case "Withdraw":
      if (state.status !== "open") return reject(422, "the account is not open");
      if (amount > state.balance) return reject(422, `the balance is ${state.balance}, less than ${amount}`);
      return event("MoneyWithdrawn", { amount });
    case "CloseAccount":
      if (state.status !== "open") return reject(422, "the account is not open");
      if (state.balance !== 0) return reject(422, "only an account with a zero balance can be closed");
      return event("AccountClosed", {});
  }
}

/**
 * The PutItem input that appends `event`. The condition makes the write fail, instead of replacing
 * anything, when an item with this aggregate id and version exists: that is both the append-only
 * guarantee and the optimistic concurrency check (two racing commands cannot both get a version).
 */
export function appendRequest(tableName: string, event: Event, meta: { recordedAt: string; requestId: string }) {
  const item: Record<(typeof EVENT_ATTRIBUTES)[number], AttributeValue> = {
    aggregateId: { S: event.aggregateId },
    version: { N: String(event.version) },
    type: { S: event.type },
    payload: { S: JSON.stringify(event.payload) },
    recordedAt: { S: meta.recordedAt },
    requestId: { S: meta.requestId },
  };
  return { TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(#version)", ExpressionAttributeNames: { "#version": "version" } } satisfies PutItemCommandInput;
}

/** The Query input that loads an aggregate's events, oldest first, strongly consistent. */
export function loadRequest(tableName: string, aggregateId: string, exclusiveStartKey?: Item): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: "aggregateId = :id",
    ExpressionAttributeValues: { ":id": { S: aggregateId } },
    ConsistentRead: true,
    ScanIndexForward: true,
    ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
  };
}

/** An event item as DynamoDB returns it, back to an event. */
export function eventFromItem(item: Item): Event {
  return { aggregateId: item.aggregateId?.S ?? "", version: Number(item.version?.N), type: item.type?.S ?? "", payload: JSON.parse(item.payload?.S ?? "{}") as Record<string, unknown> };
}

function reject(status: number, message: string): Rejection {
  return { ok: false, status, message };
}
