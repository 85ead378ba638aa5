import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handler, type ModerationRequest, type ObjectCreated } from "../lambda/resize/index";

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const ddb = mockClient(DynamoDBClient);

const ENV = { OUTPUT_BUCKET: "output", QUEUE_URL: "https://sqs.example/queue", TABLE_NAME: "state", MAX_UPLOAD_BYTES: String(5 * 1024 * 1024), WIDTHS: "320,640,1280", FORMAT: "webp" };

const uploaded = (key: string, size: number): ObjectCreated =>
  ({ "detail-type": "Object Created", source: "aws.s3", detail: { bucket: { name: "uploads" }, object: { key, size } } }) as ObjectCreated;

/** S3 returns the upload's bytes. */
const serve = (bytes: Buffer) => s3.on(GetObjectCommand).resolves({ ContentLength: bytes.length, Body: { transformToByteArray: async () => new Uint8Array(bytes) } as never });

/** What the handler wrote to the output bucket, decoded: key, format and dimensions. */
const written = async () =>
  Promise.all(
    s3.commandCalls(PutObjectCommand).map(async ({ args: [command] }) => {
      const { format, width, height } = await sharp(command.input.Body as Buffer).metadata();
      return { key: command.input.Key, contentType: command.input.ContentType, format, width, height };
    }),
  );

beforeEach(() => {
  Object.assign(process.env, ENV);
  s3.reset();
  sqs.reset();
  ddb.reset();
});
afterEach(() => {
  for (const name of Object.keys(ENV)) delete process.env[name];
});

describe("resize", () => {
  it("turns a JPEG into WebP renditions at each width and a JPEG moderation copy, then queues it", async () => {
    const jpeg = await sharp({ create: { width: 1600, height: 900, channels: 3, background: "#3a7bd5" } }).jpeg({ quality: 90 }).toBuffer();
    serve(jpeg);
    const outcome = await handler(uploaded("holiday/beach+photo.jpg", jpeg.length));

    expect(outcome).toEqual({
      status: "queued",
      key: "holiday/beach photo.jpg",
      renditions: ["pending/holiday/beach photo.jpg/320w.webp", "pending/holiday/beach photo.jpg/640w.webp", "pending/holiday/beach photo.jpg/1280w.webp"],
    });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: "uploads", Key: "holiday/beach photo.jpg" });
    expect(await written()).toEqual(
      expect.arrayContaining([
        { key: "pending/holiday/beach photo.jpg/320w.webp", contentType: "image/webp", format: "webp", width: 320, height: 180 },
        { key: "pending/holiday/beach photo.jpg/640w.webp", contentType: "image/webp", format: "webp", width: 640, height: 360 },
        { key: "pending/holiday/beach photo.jpg/1280w.webp", contentType: "image/webp", format: "webp", width: 1280, height: 720 },
        { key: "pending/holiday/beach photo.jpg/moderation.jpg", contentType: "image/jpeg", format: "jpeg", width: 1280, height: 720 },
      ]),
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(4);
    for (const { args: [command] } of s3.commandCalls(PutObjectCommand)) expect(command.input.Bucket).toBe("output");

    const message = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!) as ModerationRequest;
    expect(message).toEqual({ key: "holiday/beach photo.jpg", renditions: outcome.status === "queued" ? outcome.renditions : [], moderationCopy: "pending/holiday/beach photo.jpg/moderation.jpg" });
    const update = ddb.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(update.ConditionExpression).toBe("#s = :processing");
    expect(update.ExpressionAttributeValues).toMatchObject({ ":pending": { S: "pending" }, ":f": { S: "jpeg" }, ":w": { N: "1600" }, ":h": { N: "900" } });
  });

  it("never enlarges: a PNG narrower than some widths gets one rendition at its own width, its transparency kept", async () => {
    const png = await sharp({ create: { width: 500, height: 400, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.5 } } }).png().toBuffer();
    serve(png);
    const outcome = await handler(uploaded("logo.png", png.length));

    expect(outcome).toMatchObject({ status: "queued", renditions: ["pending/logo.png/320w.webp", "pending/logo.png/500w.webp"] });
    const files = await written();
    expect(files).toEqual(
      expect.arrayContaining([
        { key: "pending/logo.png/320w.webp", contentType: "image/webp", format: "webp", width: 320, height: 256 },
        { key: "pending/logo.png/500w.webp", contentType: "image/webp", format: "webp", width: 500, height: 400 },
        { key: "pending/logo.png/moderation.jpg", contentType: "image/jpeg", format: "jpeg", width: 500, height: 400 },
      ]),
    );
    expect(files).toHaveLength(3);
    const webp = s3.commandCalls(PutObjectCommand).find(({ args: [c] }) => c.input.Key === "pending/logo.png/500w.webp")!.args[0].input.Body as Buffer;
    expect((await sharp(webp).metadata()).hasAlpha).toBe(true);
  });

  it("applies the EXIF orientation before resizing, and writes AVIF when asked", async () => {
    process.env.FORMAT = "avif";
    process.env.WIDTHS = "200";
    // stored 400 x 300 with orientation 6: shown 300 x 400 (portrait)
    const rotated = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#c33" } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    serve(rotated);
    await handler(uploaded("portrait.jpg", rotated.length));
    const files = await written();
    expect(files.find((f) => f.key === "pending/portrait.jpg/200w.avif")).toEqual({ key: "pending/portrait.jpg/200w.avif", contentType: "image/avif", format: "heif", width: 200, height: 267 });
    const avif = s3.commandCalls(PutObjectCommand).find(({ args: [c] }) => c.input.Key === "pending/portrait.jpg/200w.avif")!.args[0].input.Body as Buffer;
    expect((await sharp(avif).metadata()).compression).toBe("av1");
  });

  it("rejects an upload that is not a JPEG or PNG, and writes nothing", async () => {
    const gif = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#000" } }).gif().toBuffer();
    serve(gif);
    expect(await handler(uploaded("anim.gif", gif.length))).toMatchObject({ status: "rejected", reason: expect.stringMatching(/format gif/) });
    serve(Buffer.from("not an image at all"));
    expect(await handler(uploaded("notes.txt", 19))).toMatchObject({ status: "rejected", reason: expect.stringMatching(/not a readable image/) });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutItemCommand).at(-1)!.args[0].input.Item).toMatchObject({ status: { S: "rejected" } });
  });

  it("rejects an upload over the size limit without downloading it", async () => {
    expect(await handler(uploaded("huge.jpg", 6 * 1024 * 1024))).toMatchObject({ status: "rejected", reason: expect.stringMatching(/6291456 bytes/) });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it("drops an image already processed, and queues an image only once when two attempts race", async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: "exists", $metadata: {} }));
    expect(await handler(uploaded("seen.jpg", 100))).toEqual({ status: "duplicate", key: "seen.jpg" });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);

    ddb.reset();
    const jpeg = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#fff" } }).jpeg().toBuffer();
    serve(jpeg);
    ddb.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: "moved on", $metadata: {} }));
    expect(await handler(uploaded("raced.jpg", jpeg.length))).toEqual({ status: "duplicate", key: "raced.jpg" });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
