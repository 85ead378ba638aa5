// Fan-out planner, fed by the room queue. For each room message it pages through the room's live
// memberships and puts delivery batches of up to DELIVERY_BATCH connections on the delivery queue, so
// many delivery functions post to a large room in parallel. A room too big for one run continues in a
// follow-up room message that carries the page cursor. Failures are reported per record.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { eachMessage } from "./queue-batch";
import { type DeliveryWork, deliveryBatches, liveConnections, type RoomWork } from "./rooms";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
/** Membership pages one run reads before handing the rest of the room to a follow-up message. */
export const PAGES_PER_RUN = 20;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return eachMessage<RoomWork>(event, plan);
}

async function plan({ room, payload, cursor }: RoomWork): Promise<void> {
  const { TABLE_NAME, ROOM_QUEUE_URL, DELIVERY_QUEUE_URL } = process.env;
  let next = cursor;
  let batches = 0;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const now = Math.floor(Date.now() / 1000);
    const result = await db.send(
      new QueryCommand({
        TableName: TABLE_NAME,
        KeyConditionExpression: "pk = :room",
        // TTL deletes expired items within days, not seconds: skip them here
        FilterExpression: "expiresAt > :now",
        ExpressionAttributeValues: { ":room": `room#${room}`, ":now": now },
        ProjectionExpression: "sk, expiresAt",
        Limit: 1000,
        ExclusiveStartKey: next,
      }),
    );
    const entries = deliveryBatches(liveConnections(result.Items ?? [], now)).map((connections, i) => {
      const work: DeliveryWork = { room, payload, connections, attempt: 0 };
      return { Id: String(i), MessageBody: JSON.stringify(work) };
    });
    for (let i = 0; i < entries.length; i += 10) {
      const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: DELIVERY_QUEUE_URL, Entries: entries.slice(i, i + 10) }));
      if (sent.Failed?.length) throw new Error(`delivery batches not queued: ${JSON.stringify(sent.Failed)}`);
    }
    batches += entries.length;
    next = result.LastEvaluatedKey;
    if (!next) break;
  }
  if (next) {
    const rest: RoomWork = { room, payload, cursor: next };
    await sqs.send(new SendMessageCommand({ QueueUrl: ROOM_QUEUE_URL, MessageBody: JSON.stringify(rest) }));
  }
  console.log(JSON.stringify({ room, id: payload.id, batches, continues: Boolean(next) }));
}
