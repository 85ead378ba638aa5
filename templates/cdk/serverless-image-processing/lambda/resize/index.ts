// Resize stage: an upload becomes WebP (or AVIF) renditions at the configured widths plus a JPEG
// copy for moderation, all under pending/<key>/ in the output bucket, and a message for the
// moderation stage. The state table makes it idempotent: only the attempt that moves an image from
// "processing" to "pending" queues it, so a retried or duplicated event never queues it twice.
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { EventBridgeEvent } from "aws-lambda";
import { type Format, makeRenditions, RejectedImage } from "./renditions";

const s3 = new S3Client({});
const sqs = new SQSClient({});
const ddb = new DynamoDBClient({});

/** What S3 sends EventBridge when an object is created (the fields used here). */
export type ObjectCreated = EventBridgeEvent<"Object Created", { bucket: { name: string }; object: { key: string; size?: number } }>;

/** The moderation stage's message: the upload's key and where its files wait under pending/. */
export interface ModerationRequest {
  readonly key: string;
  readonly renditions: readonly string[];
  readonly moderationCopy: string;
}

export type Outcome =
  | { readonly status: "queued"; readonly key: string; readonly renditions: readonly string[] }
  | { readonly status: "rejected"; readonly key: string; readonly reason: string }
  | { readonly status: "duplicate"; readonly key: string };

/** The function's settings, read on each call (the stack sets them as environment variables). */
function settings() {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const format = env("FORMAT");
  if (format !== "webp" && format !== "avif") throw new Error(`FORMAT must be webp or avif, not ${format}`);
  return {
    outputBucket: env("OUTPUT_BUCKET"),
    queueUrl: env("QUEUE_URL"),
    tableName: env("TABLE_NAME"),
    maxUploadBytes: Number(env("MAX_UPLOAD_BYTES")),
    widths: env("WIDTHS").split(",").map(Number),
    format: format as Format,
  };
}

export async function handler(event: ObjectCreated): Promise<Outcome> {
  const config = settings();
  const bucket = event.detail.bucket.name;
  // keys arrive URL-encoded, with spaces as "+"
  const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, " "));
  const now = () => new Date().toISOString();

  // Claim the image: a new key, or one whose earlier attempt failed before queueing it.
  try {
    await ddb.send(
      new PutItemCommand({
        TableName: config.tableName,
        Item: { imageKey: { S: key }, status: { S: "processing" }, updatedAt: { S: now() } },
        ConditionExpression: "attribute_not_exists(imageKey) OR #s = :processing",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":processing": { S: "processing" } },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { status: "duplicate", key };
    throw error;
  }

  const size = event.detail.object.size ?? 0;
  if (size > config.maxUploadBytes) return reject(config.tableName, key, `${size} bytes is more than the ${config.maxUploadBytes} accepted`);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = await object.Body!.transformToByteArray();

  let made;
  try {
    made = await makeRenditions(body, { widths: config.widths, format: config.format });
  } catch (error) {
    if (error instanceof RejectedImage) return reject(config.tableName, key, error.message);
    throw error;
  }
  const renditions = made.renditions.map((r) => ({ ...r, key: `pending/${key}/${r.width}w.${r.format}` }));
  const moderationCopy = `pending/${key}/moderation.jpg`;
  await Promise.all([
    ...renditions.map((r) => s3.send(new PutObjectCommand({ Bucket: config.outputBucket, Key: r.key, Body: r.data, ContentType: r.contentType }))),
    s3.send(new PutObjectCommand({ Bucket: config.outputBucket, Key: moderationCopy, Body: made.moderation, ContentType: "image/jpeg" })),
  ]);

  // Only the attempt that moves the image on queues it.
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: config.tableName,
        Key: { imageKey: { S: key } },
        UpdateExpression: "SET #s = :pending, sourceFormat = :f, sourceWidth = :w, sourceHeight = :h, renditions = :r, updatedAt = :t",
        ConditionExpression: "#s = :processing",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":pending": { S: "pending" },
          ":processing": { S: "processing" },
          ":f": { S: made.source.format },
          ":w": { N: String(made.source.width) },
          ":h": { N: String(made.source.height) },
          ":r": { L: renditions.map((r) => ({ M: { width: { N: String(r.width) }, height: { N: String(r.height) }, key: { S: r.key } } })) },
          ":t": { S: now() },
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { status: "duplicate", key };
    throw error;
  }
  const request: ModerationRequest = { key, renditions: renditions.map((r) => r.key), moderationCopy };
  await sqs.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: JSON.stringify(request) }));
  return { status: "queued", key, renditions: request.renditions };
}

async function reject(tableName: string, key: string, reason: string): Promise<Outcome> {
  await ddb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { imageKey: { S: key }, status: { S: "rejected" }, reason: { S: reason }, updatedAt: { S: new Date().toISOString() } },
    }),
  );
  return { status: "rejected", key, reason };
}
