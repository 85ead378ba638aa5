// An event consumer fed by its own SQS queue. Each message body is one EventBridge event (the rule
// delivers the whole envelope: id, source, detail-type, detail). Delivery is at least once, so every
// event is claimed in the state table with a conditional write before its side effect runs: a
// duplicate (same detail-type and order id) finds the claim and is skipped. Failures are reported
// per message (partial batch response), so one bad event does not send the whole batch back.
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const bus = new EventBridgeClient({});
/** A claim left by an attempt that died expires after this long (ten function timeouts), so the event is tried again. */
export const CLAIM_SECONDS = 5 * 60;
/** Completed claims are kept this long (DynamoDB TTL removes them); longer than any redelivery or replay window you use. */
export const DONE_SECONDS = 7 * 24 * 3600;

export type Envelope = { id: string; source: string; "detail-type": string; detail?: { orderId?: string; customerId?: string; correlationId?: string } };

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      await processOnce(JSON.parse(record.body) as Envelope);
    } catch (error) {
      console.error(JSON.stringify({ consumer: process.env.CONSUMER, messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

/**
 * The business fact an event states ("order o-1 was placed"), so a producer's retry that publishes the
 * same fact under a new event id, or a replay from the archive, is recognised too.
 */
export const factOf = (envelope: Envelope): string => (envelope.detail?.orderId ? `${envelope["detail-type"]}#${envelope.detail.orderId}` : envelope.id);

async function processOnce(envelope: Envelope): Promise<void> {
  const consumer = process.env.CONSUMER;
  const TableName = process.env.TABLE_NAME;
  const pk = `${consumer}#${factOf(envelope)}`;
  const now = Math.floor(Date.now() / 1000);
  try {
    await db.send(
      new PutCommand({
        TableName,
        Item: { pk, status: "in-progress", expiresAt: now + CLAIM_SECONDS },
        // free, or left behind by an attempt that died without finishing
        ConditionExpression: "attribute_not_exists(pk) OR (#status = :inProgress AND expiresAt < :now)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":inProgress": "in-progress", ":now": now },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    if (error.Item?.status?.S === "done") {
      console.log(JSON.stringify({ consumer, eventId: envelope.id, skipped: "already processed" }));
      return;
    }
    // another attempt holds a fresh claim: fail this message so the queue offers it again later
    throw new Error(`event ${envelope.id} is being processed by another attempt`);
  }
  try {
    await react(envelope);
  } catch (error) {
    // release the claim so the redelivered message can try again
    await db.send(new DeleteCommand({ TableName, Key: { pk } }));
    throw error;
  }
  await db.send(
    new UpdateCommand({
      TableName,
      Key: { pk },
      UpdateExpression: "SET #status = :done, expiresAt = :expires, detailType = :type",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":done": "done", ":expires": now + DONE_SECONDS, ":type": envelope["detail-type"] },
    }),
  );
}

// The consumer's own work. Replace these placeholders with calls to the shipping and notification
// systems; keep each one safe to repeat where you can (an idempotency key on the outbound call).
async function react(envelope: Envelope): Promise<void> {
  const consumer = process.env.CONSUMER;
  const detail = envelope.detail ?? {};
  const log = (what: string) => console.log(JSON.stringify({ consumer, eventId: envelope.id, type: envelope["detail-type"], orderId: detail.orderId, what }));
  if (consumer !== "shipping") {
    log(envelope["detail-type"] === "OrderShipped" ? "shipping confirmation sent" : "order confirmation sent");
    return;
  }
  log("shipment requested");
  // Announce the outcome as a new fact. The source differs from the orders source that the
  // shipping rule matches, so this event cannot loop back into this consumer.
  const result = await bus.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: process.env.BUS_NAME,
          Source: `${process.env.SOURCE_PREFIX}.shipping`,
          DetailType: "OrderShipped",
          Detail: JSON.stringify({ orderId: detail.orderId, customerId: detail.customerId, correlationId: detail.correlationId ?? envelope.id, shippedAt: new Date().toISOString() }),
        },
      ],
    }),
  );
  if (result.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
}
