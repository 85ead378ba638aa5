// Resize stage: validates an upload, copies it under pending/ with its metadata, records the state
// and queues it for moderation. Idempotent: a conditional write on the state table drops duplicates.
import { S3Client, HeadObjectCommand, CopyObjectCommand } from "@aws-sdk/client-s3";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { DynamoDBClient, PutItemCommand, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

const s3 = new S3Client({});
const sqs = new SQSClient({});
const ddb = new DynamoDBClient({});
const ACCEPTED = new Set(["image/jpeg", "image/png"]);

export async function handler(event) {
  const bucket = event.detail.bucket.name;
  const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, " "));
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const size = head.ContentLength ?? 0;
  const type = head.ContentType ?? "application/octet-stream";
  if (!ACCEPTED.has(type) || size > Number(process.env.MAX_UPLOAD_BYTES)) {
    await record(key, "rejected", { reason: `type ${type}, ${size} bytes` });
    return { status: "rejected", key };
  }
  try {
    await ddb.send(new PutItemCommand({
      TableName: process.env.TABLE_NAME,
      Item: { imageKey: { S: key }, status: { S: "pending" }, bytes: { N: String(size) }, updatedAt: { S: new Date().toISOString() } },
      ConditionExpression: "attribute_not_exists(imageKey)",
    }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { status: "duplicate", key };
    throw error;
  }
  // Resizing itself needs an image library: add one (for example sharp, as a Lambda layer) and
  // transform the body here. Rekognition accepts JPEG and PNG up to 15 MB from S3, as uploaded.
  await s3.send(new CopyObjectCommand({ Bucket: process.env.OUTPUT_BUCKET, Key: `pending/${key}`, CopySource: `${bucket}/${encodeURIComponent(key)}` }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ key }) }));
  return { status: "queued", key };
}

async function record(key, status, extra) {
  await ddb.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: { imageKey: { S: key }, status: { S: status }, reason: { S: extra.reason }, updatedAt: { S: new Date().toISOString() } },
  }));
}
