import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handler, MAX_BYTES, type ObjectCreated } from "../lambda/intake/index";

const s3 = mockClient(S3Client);
const created = (key: string): ObjectCreated => ({ "detail-type": "Object Created", source: "aws.s3", detail: { bucket: { name: "phi" }, object: { key } } }) as ObjectCreated;
/** S3 returns `text` as the object's content. */
const serve = (text: string, size = Buffer.byteLength(text)) =>
  s3.on(GetObjectCommand).resolves({ ContentLength: size, VersionId: "v7", Body: { transformToString: async () => text } as never });
const written = () => {
  const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
  return { key: put.Key, bucket: put.Bucket, body: JSON.parse(put.Body as string) as Record<string, unknown> };
};

const BUNDLE = {
  resourceType: "Bundle",
  entry: [
    { resource: { resourceType: "Patient", name: [{ family: "Doe", given: ["Jane"] }], birthDate: "1980-02-01", identifier: [{ value: "MRN-123" }] } },
    { resource: { resourceType: "Observation", status: "final" } },
    { resource: { resourceType: "Observation", status: "final" } },
    { fullUrl: "urn:uuid:no-resource" },
  ],
};

beforeEach(() => {
  s3.reset();
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe("intake", () => {
  it("summarises a bundle by resource type under processed/, with no identifiers, names or dates from it", async () => {
    serve(JSON.stringify(BUNDLE));
    expect(await handler(created("incoming/clinic-a/2026-12-01+batch.json"))).toEqual({
      status: "processed",
      key: "incoming/clinic-a/2026-12-01 batch.json",
      target: "processed/clinic-a/2026-12-01 batch.json.summary.json",
    });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: "phi", Key: "incoming/clinic-a/2026-12-01 batch.json" });
    const { key, bucket, body } = written();
    expect(bucket).toBe("phi");
    expect(key).toBe("processed/clinic-a/2026-12-01 batch.json.summary.json");
    expect(body).toMatchObject({ source: "incoming/clinic-a/2026-12-01 batch.json", versionId: "v7", resourceType: "Bundle", total: 3, counts: { Patient: 1, Observation: 2 } });
    const text = JSON.stringify(body);
    for (const secret of ["Doe", "Jane", "1980-02-01", "MRN-123"]) expect(text).not.toContain(secret);
  });

  it("counts a single resource as one of its type, and one without a type as Unknown", async () => {
    serve(JSON.stringify({ resourceType: "Patient", id: "p1" }));
    await handler(created("incoming/one.json"));
    expect(written().body).toMatchObject({ resourceType: "Patient", total: 1, counts: { Patient: 1 } });
    s3.reset();
    serve(JSON.stringify({ note: "no type" }));
    await handler(created("incoming/two.json"));
    expect(written().body).toMatchObject({ resourceType: "Unknown", total: 1, counts: { Unknown: 1 } });
  });

  it("ignores objects outside incoming/ without reading them", async () => {
    expect(await handler(created("processed/x.json.summary.json"))).toEqual({ status: "ignored", key: "processed/x.json.summary.json" });
    expect(s3.calls()).toHaveLength(0);
  });

  it("rejects a document that is too large or not JSON, writes nothing, and logs no content", async () => {
    serve("{}", MAX_BYTES + 1);
    expect(await handler(created("incoming/huge.json"))).toEqual({ status: "rejected", key: "incoming/huge.json" });
    serve("Jane Doe, born 1980-02-01");
    expect(await handler(created("incoming/notes.txt"))).toEqual({ status: "rejected", key: "incoming/notes.txt" });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(JSON.stringify(vi.mocked(console.warn).mock.calls)).not.toContain("Jane");
  });
});
