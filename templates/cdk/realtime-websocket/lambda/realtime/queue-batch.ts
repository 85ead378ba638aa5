// The SQS side of the fan-out and delivery functions: one message at a time, failures reported per message.
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";

/**
 * Runs `work` on the JSON body of each message of the batch, in order. A message whose body is not JSON
 * or whose work fails is logged and reported, so only it returns to the queue (the event source mapping
 * reports partial batch failures).
 */
export async function eachMessage<T>(event: SQSEvent, work: (body: T) => Promise<void>): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      await work(JSON.parse(record.body) as T);
    } catch (error) {
      console.error(JSON.stringify({ messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
