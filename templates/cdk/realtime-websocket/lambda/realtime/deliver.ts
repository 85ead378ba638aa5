// Delivery worker, fed by the delivery queue one batch at a time (at most DELIVERY_BATCH connections).
// It posts the payload to each connection, a few at a time. A 410 means the connection is gone: its
// records are deleted. Throttled or failed posts go back on the queue as a smaller batch after a
// jittered, growing delay; after MAX_ATTEMPTS they are recorded in the dead-letter queue. The event
// source's maximum concurrency caps how many workers post at once: that is the back-pressure.
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DeleteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { eachMessage } from "./queue-batch";
import { type CallError, MAX_ATTEMPTS, type Outcome, outcomeOf, retryDelaySeconds, summarise } from "./delivery";
import { connectionKey, type DeliveryWork, membershipKey } from "./rooms";

// the stage's @connections endpoint; the environment is read once, when the function starts
const api = new ApiGatewayManagementApiClient({ endpoint: process.env.CALLBACK_URL });
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
/** PostToConnection calls in flight at once. */
const IN_FLIGHT = 10;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return eachMessage<DeliveryWork>(event, deliver);
}

async function deliver({ room, payload, connections, attempt = 0 }: DeliveryWork): Promise<void> {
  const { TABLE_NAME, DELIVERY_QUEUE_URL, DEAD_LETTER_QUEUE_URL } = process.env;
  const data = Buffer.from(JSON.stringify(payload));
  const results: { connectionId: string; outcome: Outcome }[] = [];
  for (let i = 0; i < connections.length; i += IN_FLIGHT) {
    const slice = connections.slice(i, i + IN_FLIGHT);
    const settled = await Promise.allSettled(slice.map((connectionId) => api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))));
    settled.forEach((s, j) => results.push({ connectionId: slice[j]!, outcome: outcomeOf(s.status === "rejected" ? (s.reason as CallError) : undefined) }));
  }
  const summary = summarise(results);
  for (const connectionId of summary.gone) {
    await db.send(new DeleteCommand({ TableName: TABLE_NAME, Key: membershipKey(room, connectionId) }));
    await db.send(new DeleteCommand({ TableName: TABLE_NAME, Key: connectionKey(connectionId) }));
  }
  if (summary.retry.length > 0) {
    const retry: DeliveryWork = { room, payload, connections: summary.retry, attempt: attempt + 1 };
    const body = JSON.stringify(retry);
    if (attempt + 1 >= MAX_ATTEMPTS) await sqs.send(new SendMessageCommand({ QueueUrl: DEAD_LETTER_QUEUE_URL, MessageBody: body }));
    else await sqs.send(new SendMessageCommand({ QueueUrl: DELIVERY_QUEUE_URL, MessageBody: body, DelaySeconds: retryDelaySeconds(attempt + 1) }));
  }
  console.log(JSON.stringify({ room, id: payload.id, attempt, delivered: summary.delivered, gone: summary.gone.length, retry: summary.retry.length, dropped: summary.dropped.length }));
}
