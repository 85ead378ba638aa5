// Intake: reads a FHIR JSON document that landed under incoming/ in the PHI bucket (through the S3
// gateway endpoint: the function has no other way out of the VPC) and writes a summary without
// identifiers under processed/. Logs carry object keys, sizes and counts only, never document
// content, so keep patient details out of object keys too.
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { EventBridgeEvent } from "aws-lambda";

const s3 = new S3Client({});
/** Documents larger than this are rejected unread. */
export const MAX_BYTES = 10 * 1024 * 1024;

export type ObjectCreated = EventBridgeEvent<"Object Created", { bucket: { name: string }; object: { key: string; size?: number } }>;
export type Outcome = { status: "ignored" | "rejected"; key: string } | { status: "processed"; key: string; target: string };
export type Summary = { resourceType: string; total: number; counts: Record<string, number> };

export async function handler(event: ObjectCreated): Promise<Outcome> {
  const bucket = event.detail.bucket.name;
  const key = decodeURIComponent(event.detail.object.key.replace(/\+/g, " "));
  if (!key.startsWith("incoming/")) return { status: "ignored", key };
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = object.ContentLength ?? 0;
  if (bytes > MAX_BYTES) {
    console.warn(JSON.stringify({ key, bytes, outcome: "too large" }));
    return { status: "rejected", key };
  }
  let document: unknown;
  try {
    document = JSON.parse((await object.Body?.transformToString()) ?? "");
  } catch {
    console.warn(JSON.stringify({ key, bytes, outcome: "not JSON" }));
    return { status: "rejected", key };
  }
  const summary = summarise(document);
  const target = `processed/${key.slice("incoming/".length)}.summary.json`;
  // No encryption headers: the bucket's default (SSE-KMS with the PHI key, Bucket Key on) applies.
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: target,
      Body: JSON.stringify({ source: key, versionId: object.VersionId, receivedAt: new Date().toISOString(), ...summary }),
      ContentType: "application/json",
    }),
  );
  console.log(JSON.stringify({ key, bytes, target, resourceType: summary.resourceType, resources: summary.total }));
  return { status: "processed", key, target };
}

type Resource = { resourceType?: unknown };

/**
 * Counts resources by type: enough to route or bill a document without copying names, dates of
 * birth or identifiers out of it.
 */
export function summarise(document: unknown): Summary {
  const root = (document ?? {}) as Resource & { entry?: { resource?: Resource }[] };
  const resources: Resource[] =
    root.resourceType === "Bundle" ? (Array.isArray(root.entry) ? root.entry : []).map((e) => e?.resource).filter((r): r is Resource => Boolean(r)) : [root];
  const counts: Record<string, number> = {};
  for (const resource of resources) {
    const type = typeof resource.resourceType === "string" ? resource.resourceType : "Unknown";
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return { resourceType: typeof root.resourceType === "string" ? root.resourceType : "Unknown", total: resources.length, counts };
}
