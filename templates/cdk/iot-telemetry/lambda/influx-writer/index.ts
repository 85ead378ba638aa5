// Reads telemetry batches from the Kinesis stream and writes them to Timestream for InfluxDB
// (InfluxDB 2.x write API, millisecond precision) with a write-only token kept in Secrets Manager.
// Records that are not telemetry are skipped (the S3 archive keeps every message); a write that
// fails fails the batch, which the event source mapping bisects, retries and finally sets aside.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { toLineProtocol } from "./line-protocol";

const secrets = new SecretsManagerClient({});
/** How long a token read from Secrets Manager is reused, so a rotated token is picked up within minutes. */
const TOKEN_SECONDS = 300;
let token: string | undefined;
let fetchedAt = 0;

async function writeToken(secretArn: string): Promise<string> {
  if (!token || Date.now() - fetchedAt > TOKEN_SECONDS * 1000) {
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new Error(`secret ${secretArn} holds no token`);
    token = SecretString;
    fetchedAt = Date.now();
  }
  return token;
}

export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const { INFLUX_URL, INFLUX_ORG = "", INFLUX_BUCKET = "", TOKEN_SECRET_ARN = "" } = process.env;
  const lines: string[] = [];
  for (const record of event.Records) {
    try {
      lines.push(...toLineProtocol(JSON.parse(Buffer.from(record.kinesis.data, "base64").toString("utf8"))));
    } catch {
      console.warn(JSON.stringify({ message: "skipped a record that is not JSON", sequenceNumber: record.kinesis.sequenceNumber }));
    }
  }
  if (lines.length === 0) return { batchItemFailures: [] };
  const url = `${INFLUX_URL}/api/v2/write?org=${encodeURIComponent(INFLUX_ORG)}&bucket=${encodeURIComponent(INFLUX_BUCKET)}&precision=ms`;
  const response = await fetch(url, { method: "POST", headers: { Authorization: `Token ${await writeToken(TOKEN_SECRET_ARN)}`, "Content-Type": "text/plain; charset=utf-8" }, body: lines.join("\n") });
  if (response.status === 401 || response.status === 403) {
    token = undefined;
    throw new Error(`InfluxDB refused the write token (${response.status}): create a write token for bucket ${INFLUX_BUCKET} and store it in ${TOKEN_SECRET_ARN}`);
  }
  if (!response.ok) throw new Error(`InfluxDB write failed: ${response.status} ${(await response.text()).slice(0, 500)}`);
  console.log(JSON.stringify({ message: "written", points: lines.length }));
  return { batchItemFailures: [] };
}
