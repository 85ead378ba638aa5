import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { DetectModerationLabelsCommand, RekognitionClient } from "@aws-sdk/client-rekognition";
import { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handler } from "../lambda/moderate/index";
import type { ModerationRequest } from "../lambda/resize/index";

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBClient);
const rekognition = mockClient(RekognitionClient);

const REQUEST: ModerationRequest = {
  key: "trip/cat pic.jpg",
  renditions: ["pending/trip/cat pic.jpg/320w.webp", "pending/trip/cat pic.jpg/640w.webp"],
  moderationCopy: "pending/trip/cat pic.jpg/moderation.jpg",
};
const messages = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body }) as SQSEvent["Records"][number]) });
const copyBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);

beforeEach(() => {
  Object.assign(process.env, { OUTPUT_BUCKET: "output", TABLE_NAME: "state", MIN_CONFIDENCE: "80" });
  for (const mock of [s3, ddb, rekognition]) mock.reset();
  ddb.on(GetItemCommand).resolves({ Item: { imageKey: { S: REQUEST.key }, status: { S: "pending" } } });
  s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => copyBytes } as never });
});
afterEach(() => {
  for (const name of ["OUTPUT_BUCKET", "TABLE_NAME", "MIN_CONFIDENCE"]) delete process.env[name];
});

describe("moderate", () => {
  it("approves an image without moderation labels: renditions move to approved/, pending/ is emptied", async () => {
    rekognition.on(DetectModerationLabelsCommand).resolves({ ModerationLabels: [] });
    expect(await handler(messages(JSON.stringify(REQUEST)))).toEqual({ batchItemFailures: [] });

    const asked = rekognition.commandCalls(DetectModerationLabelsCommand)[0]!.args[0].input;
    expect(asked).toEqual({ Image: { Bytes: copyBytes }, MinConfidence: 80 });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: "output", Key: REQUEST.moderationCopy });
    expect(s3.commandCalls(CopyObjectCommand).map(({ args: [c] }) => [c.input.Key, c.input.CopySource])).toEqual([
      ["approved/trip/cat pic.jpg/320w.webp", "output/pending/trip/cat%20pic.jpg/320w.webp"],
      ["approved/trip/cat pic.jpg/640w.webp", "output/pending/trip/cat%20pic.jpg/640w.webp"],
    ]);
    const deleted = s3.commandCalls(DeleteObjectsCommand)[0]!.args[0].input.Delete!.Objects!.map((o) => o.Key);
    expect(deleted).toEqual([...REQUEST.renditions, REQUEST.moderationCopy]);
    expect(ddb.commandCalls(UpdateItemCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({ ":v": { S: "approved" }, ":l": { L: [] } });
  });

  it("quarantines an image with moderation labels, and records them", async () => {
    rekognition.on(DetectModerationLabelsCommand).resolves({ ModerationLabels: [{ Name: "Violence", Confidence: 91 }, { Name: "Violence", Confidence: 85 }] });
    await handler(messages(JSON.stringify(REQUEST)));
    expect(s3.commandCalls(CopyObjectCommand).map(({ args: [c] }) => c.input.Key)).toEqual(["quarantine/trip/cat pic.jpg/320w.webp", "quarantine/trip/cat pic.jpg/640w.webp"]);
    expect(ddb.commandCalls(UpdateItemCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({ ":v": { S: "quarantine" }, ":l": { L: [{ S: "Violence" }] } });
  });

  it("skips an image whose verdict is already recorded (a redelivered message)", async () => {
    ddb.on(GetItemCommand).resolves({ Item: { imageKey: { S: REQUEST.key }, status: { S: "approved" } } });
    expect(await handler(messages(JSON.stringify(REQUEST)))).toEqual({ batchItemFailures: [] });
    expect(rekognition.commandCalls(DetectModerationLabelsCommand)).toHaveLength(0);
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
  });

  it("tolerates a concurrent delivery that recorded the verdict first", async () => {
    rekognition.on(DetectModerationLabelsCommand).resolves({});
    ddb.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: "already judged", $metadata: {} }));
    expect(await handler(messages(JSON.stringify(REQUEST)))).toEqual({ batchItemFailures: [] });
  });

  it("reports only the failed messages of a batch, so only they are retried", async () => {
    rekognition.on(DetectModerationLabelsCommand).resolves({ ModerationLabels: [] });
    rekognition.on(DetectModerationLabelsCommand, { MinConfidence: 80 }).resolvesOnce({ ModerationLabels: [] }).rejectsOnce(new Error("ThrottlingException"));
    const result = await handler(messages(JSON.stringify(REQUEST), JSON.stringify(REQUEST), "not json"));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m1" }, { itemIdentifier: "m2" }]);
  });
});
