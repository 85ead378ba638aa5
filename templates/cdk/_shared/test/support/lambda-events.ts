// Lambda events for the handler tests. Each holds only the fields the handlers read; the rest of
// the AWS type is left out, hence the casts.
import type { APIGatewayProxyEvent, KinesisStreamEvent, SQSEvent } from "aws-lambda";
import { afterEach, beforeEach, vi } from "vitest";

/** Sets the environment variables the stack gives the function, before each test of the file, and removes them after. */
export function useEnv(variables: Record<string, string>): void {
  beforeEach(() => {
    for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}

/** A REST API request (Lambda proxy integration), as API Gateway sends it after its Cognito authorizer. */
export function apiRequest(fields: {
  method?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  claims?: Record<string, unknown>;
  requestId?: string;
}): APIGatewayProxyEvent {
  return {
    httpMethod: fields.method ?? "GET",
    pathParameters: fields.pathParameters ?? null,
    queryStringParameters: fields.query ?? null,
    body: fields.body ?? null,
    requestContext: { requestId: fields.requestId ?? "request-1", authorizer: fields.claims ? { claims: fields.claims } : null },
  } as unknown as APIGatewayProxyEvent;
}

/** An SQS batch of these message bodies; the message ids are m0, m1, ... */
export function sqsBatch(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) } as unknown as SQSEvent;
}

/**
 * A Kinesis batch: each payload as the record's data (a string as it is, anything else as JSON),
 * base64-encoded, with sequence numbers 1, 2, ... and the arrival time in seconds.
 */
export function kinesisBatch(payloads: readonly unknown[], arrivedAtSeconds = 1_767_225_600): KinesisStreamEvent {
  return {
    Records: payloads.map((payload, i) => ({
      kinesis: {
        data: Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64"),
        sequenceNumber: String(i + 1),
        partitionKey: "key",
        approximateArrivalTimestamp: arrivedAtSeconds,
        kinesisSchemaVersion: "1.0",
      },
    })),
  } as unknown as KinesisStreamEvent;
}
