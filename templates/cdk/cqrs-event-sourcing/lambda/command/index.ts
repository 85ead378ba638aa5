// Command handler (POST /accounts/{accountId}/commands). Loads the account's events from the event
// store, rebuilds its state, checks the command and appends one event with a conditional put. It never
// updates or deletes an item: its IAM policy and the table's resource policy deny both.
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { appendRequest, decide, type Event, eventFromItem, type Item, loadRequest, parseCommand, replay } from "./accounts";

const ddb = new DynamoDBClient({});

export async function handler(request: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const table = process.env.EVENT_TABLE!;
  const parsed = parseCommand(request.pathParameters?.accountId, request.body ?? "");
  if (!parsed.ok) return reply(parsed.status, { message: parsed.message });
  const { command } = parsed;
  const state = replay(await loadEvents(table, command.aggregateId));
  const decision = decide(state, command);
  if (!decision.ok) return reply(decision.status, { message: decision.message, version: state.version });
  const meta = { recordedAt: new Date().toISOString(), requestId: request.requestContext?.requestId ?? "unknown" };
  try {
    await ddb.send(new PutItemCommand(appendRequest(table, decision.event, meta)));
  } catch (error) {
    // another command appended this version between our read and our write
    if (error instanceof ConditionalCheckFailedException) {
      return reply(409, { message: "the account changed while the command ran: reload it and retry", version: state.version });
    }
    throw error;
  }
  console.log(JSON.stringify({ aggregateId: command.aggregateId, version: decision.event.version, type: decision.event.type, requestId: meta.requestId }));
  // 202: the event is stored; the read model shows it once the projector has run (about a second)
  return reply(202, { accountId: command.aggregateId, version: decision.event.version, event: decision.event.type });
}

// Every event of one aggregate, oldest first. Long-lived aggregates want snapshots (see README).
async function loadEvents(table: string, aggregateId: string): Promise<Event[]> {
  const events: Event[] = [];
  let startKey: Item | undefined;
  do {
    const page = await ddb.send(new QueryCommand(loadRequest(table, aggregateId, startKey)));
    events.push(...(page.Items ?? []).map(eventFromItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return events;
}

function reply(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
