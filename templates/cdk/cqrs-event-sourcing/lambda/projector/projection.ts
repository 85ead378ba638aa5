// The account-summary read model, as pure functions (tested in test/projection.test.ts). The projector
// (index.ts) feeds it events from the event store's stream and stores what it returns.
//
// Each view keeps the version of the last event applied, which makes the projector idempotent and
// ordered: an event at or below that version was applied already (a retried batch) and is skipped; an
// event more than one above it means an earlier one is missing, so the batch fails and is retried.
import type { AttributeValue, PutItemCommandInput } from "@aws-sdk/client-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";

export type Item = Record<string, AttributeValue>;
export type Event = { aggregateId: string; version: number; type: string; payload: Record<string, unknown>; recordedAt?: string | undefined };
export type View = { accountId: string; version: number; owner: string; balance: number; status: string; openedAt: string; updatedAt: string };
export type Outcome = { action: "apply"; view: View } | { action: "skip" } | { action: "gap"; expected: number };

/** An INSERT record from the DynamoDB stream of the event store, back to an event. */
export function eventFromRecord(record: DynamoDBRecord): Event {
  const image = record.dynamodb?.NewImage;
  const aggregateId = image?.aggregateId?.S;
  const version = image?.version?.N;
  const type = image?.type?.S;
  if (!aggregateId || !version || !type) throw new Error(`not an event record: ${record.eventID ?? "no id"}`);
  return { aggregateId, version: Number(version), type, payload: JSON.parse(image?.payload?.S ?? "{}") as Record<string, unknown>, recordedAt: image?.recordedAt?.S };
}

/**
 * What to do with `event` given the stored `view` (undefined if none): `{ action: "apply", view }`
 * with the new view, `{ action: "skip" }` for an event already applied, or `{ action: "gap", expected }`
 * when an earlier event has not been applied yet.
 */
export function project(view: View | undefined, event: Event): Outcome {
  const applied = view?.version ?? 0;
  if (event.version <= applied) return { action: "skip" };
  if (event.version > applied + 1) return { action: "gap", expected: applied + 1 };
  const base: View = view ?? { accountId: event.aggregateId, version: 0, owner: "", balance: 0, status: "open", openedAt: event.recordedAt ?? "", updatedAt: "" };
  const next: View = { ...base, version: event.version, updatedAt: event.recordedAt ?? base.updatedAt };
  switch (event.type) {
    case "AccountOpened":
      return { action: "apply", view: { ...next, owner: String(event.payload.owner), balance: 0, status: "open", openedAt: event.recordedAt ?? "" } };
    case "MoneyDeposited":
      return { action: "apply", view: { ...next, balance: base.balance + Number(event.payload.amount) } };
    case "MoneyWithdrawn":
      return { action: "apply", view: { ...next, balance: base.balance - Number(event.payload.amount) } };
    case "AccountClosed":
      return { action: "apply", view: { ...next, status: "closed" } };
    default:
      // an event this view does not show still moves its version on, so later events are not held up
      return { action: "apply", view: next };
  }
}

/**
 * The PutItem input that stores `view`, only if the stored view is still at `previousVersion` (or
 * absent, for 0). A concurrent or repeated delivery of the same event therefore cannot apply it twice.
 */
export function viewPutRequest(tableName: string, view: View, previousVersion: number) {
  const Item = {
    accountId: { S: view.accountId },
    version: { N: String(view.version) },
    owner: { S: view.owner },
    balance: { N: String(view.balance) },
    status: { S: view.status },
    openedAt: { S: view.openedAt },
    updatedAt: { S: view.updatedAt },
  } satisfies Item;
  return (
    previousVersion === 0
      ? { TableName: tableName, Item, ConditionExpression: "attribute_not_exists(accountId)" }
      : {
          TableName: tableName,
          Item,
          ConditionExpression: "#version = :previous",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":previous": { N: String(previousVersion) } },
        }
  ) satisfies PutItemCommandInput;
}

/** A stored view item back to a view. */
export function viewFromItem(item: Item | undefined): View | undefined {
  if (!item) return undefined;
  return {
    accountId: item.accountId?.S ?? "",
    version: Number(item.version?.N ?? "0"),
    owner: item.owner?.S ?? "",
    balance: Number(item.balance?.N ?? "0"),
    status: item.status?.S ?? "open",
    openedAt: item.openedAt?.S ?? "",
    updatedAt: item.updatedAt?.S ?? "",
  };
}
