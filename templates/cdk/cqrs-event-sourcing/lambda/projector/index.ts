// Projector: reads batches of new events from the event store's DynamoDB stream, in order per
// account, and updates the account-summary read model. Safe to run twice on the same records: a
// view remembers the last version applied and each write is conditional on it.
//
// On an error it reports the failing record, so Lambda retries from there; the event source mapping
// also halves a failing batch (bisect) and, after its retries, sends the batch's details to the
// failure queue. Replay from the event store itself is the way back after that (see README).
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { type Event, eventFromRecord, project, viewFromItem, viewPutRequest } from "./projection";

const ddb = new DynamoDBClient({});

export async function handler(batch: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of batch.Records) {
    try {
      await apply(process.env.VIEW_TABLE!, eventFromRecord(record));
    } catch (error) {
      console.error(JSON.stringify({ eventID: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber, error: String(error) }));
      // stream records must be applied in order: stop here and let Lambda retry from this one (a
      // record always has a sequence number; an empty identifier would retry the whole batch)
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
    }
  }
  return { batchItemFailures: [] };
}

async function apply(table: string, event: Event): Promise<void> {
  // two attempts: a lost race with another delivery of the same event turns into a skip on re-read
  for (let attempt = 1; ; attempt++) {
    const stored = await ddb.send(new GetItemCommand({ TableName: table, Key: { accountId: { S: event.aggregateId } }, ConsistentRead: true }));
    const view = viewFromItem(stored.Item);
    const outcome = project(view, event);
    if (outcome.action === "skip") return;
    if (outcome.action === "gap") throw new Error(`${event.aggregateId}: got version ${event.version}, expected ${outcome.expected}`);
    try {
      await ddb.send(new PutItemCommand(viewPutRequest(table, outcome.view, view?.version ?? 0)));
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt >= 2) throw error;
    }
  }
}
