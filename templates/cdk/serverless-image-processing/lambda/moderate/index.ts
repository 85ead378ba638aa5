// Moderation stage: Rekognition judges the JPEG copy of each image; its renditions move from
// pending/ to approved/ or quarantine/ and the verdict is recorded. Reports per-message failures,
// so only those are retried, and skips an image whose verdict is already recorded.
import { DetectModerationLabelsCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { ModerationRequest } from "../resize/index";

const rekognition = new RekognitionClient({});
const s3 = new S3Client({});
const ddb = new DynamoDBClient({});

export type Verdict = "approved" | "quarantine";

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      await moderate(JSON.parse(record.body) as ModerationRequest);
    } catch (error) {
      console.error(JSON.stringify({ messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

/** Judges one image and files its renditions; returns the verdict, or undefined when it was already judged. */
export async function moderate(request: ModerationRequest): Promise<Verdict | undefined> {
  const bucket = process.env.OUTPUT_BUCKET!;
  const tableName = process.env.TABLE_NAME!;
  const state = await ddb.send(new GetItemCommand({ TableName: tableName, Key: { imageKey: { S: request.key } }, ConsistentRead: true }));
  if (state.Item?.status?.S !== "pending") return undefined;

  const copy = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: request.moderationCopy }));
  const result = await rekognition.send(
    new DetectModerationLabelsCommand({ Image: { Bytes: await copy.Body!.transformToByteArray() }, MinConfidence: Number(process.env.MIN_CONFIDENCE) }),
  );
  const labels = [...new Set((result.ModerationLabels ?? []).map((l) => l.Name).filter((n): n is string => Boolean(n)))];
  const verdict: Verdict = labels.length === 0 ? "approved" : "quarantine";

  for (const from of request.renditions) {
    const to = `${verdict}/${from.replace(/^pending\//, "")}`;
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from.split("/").map(encodeURIComponent).join("/")}` }));
  }
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { imageKey: { S: request.key } },
        UpdateExpression: "SET #s = :v, labels = :l, updatedAt = :t",
        ConditionExpression: "#s = :pending",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":v": { S: verdict }, ":pending": { S: "pending" }, ":l": { L: labels.map((l) => ({ S: l })) }, ":t": { S: new Date().toISOString() } },
      }),
    );
  } catch (error) {
    // a concurrent delivery of the same message recorded the same verdict first
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  await s3.send(
    new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [...request.renditions, request.moderationCopy].map((Key) => ({ Key })), Quiet: true } }),
  );
  return verdict;
}
