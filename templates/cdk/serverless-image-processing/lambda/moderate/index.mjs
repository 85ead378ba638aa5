// Moderation stage: asks Rekognition for moderation labels, moves the image from pending/ to
// approved/ or quarantine/, and records the verdict. Reports per-message failures so only they retry.
import { RekognitionClient, DetectModerationLabelsCommand } from "@aws-sdk/client-rekognition";
import { S3Client, CopyObjectCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import { DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";

const rekognition = new RekognitionClient({});
const s3 = new S3Client({});
const ddb = new DynamoDBClient({});

export async function handler(event) {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await moderate(JSON.parse(record.body).key);
    } catch (error) {
      console.error(JSON.stringify({ messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

async function moderate(key) {
  const bucket = process.env.OUTPUT_BUCKET;
  const result = await rekognition.send(new DetectModerationLabelsCommand({
    Image: { S3Object: { Bucket: bucket, Name: `pending/${key}` } },
    MinConfidence: Number(process.env.MIN_CONFIDENCE),
  }));
  const labels = (result.ModerationLabels ?? []).map((l) => l.Name).filter(Boolean);
  const verdict = labels.length === 0 ? "approved" : "quarantine";
  await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${verdict}/${key}`, CopySource: `${bucket}/pending/${encodeURIComponent(key)}` }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `pending/${key}` }));
  await ddb.send(new UpdateItemCommand({
    TableName: process.env.TABLE_NAME,
    Key: { imageKey: { S: key } },
    UpdateExpression: "SET #s = :s, labels = :l, updatedAt = :t",
    ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: { ":s": { S: verdict }, ":l": { SS: labels.length ? labels : ["none"] }, ":t": { S: new Date().toISOString() } },
  }));
}
