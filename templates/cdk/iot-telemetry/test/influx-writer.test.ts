import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../lambda/influx-writer/index";
import { toLineProtocol } from "../lambda/influx-writer/line-protocol";
import { kinesisBatch, useEnv } from "./support/lambda-events";

const secrets = mockClient(SecretsManagerClient);
const fetchMock = vi.fn<typeof fetch>();
const reading = (thingName: string, temperature: number) => ({ thingName, receivedAt: 1_767_225_600_000, metrics: { temperature } });

useEnv({ INFLUX_URL: "https://influx.example:8086", INFLUX_ORG: "my app", INFLUX_BUCKET: "telemetry", TOKEN_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:111122223333:secret:write-token" });
let now = Date.UTC(2026, 11, 6);
vi.useFakeTimers({ toFake: ["Date"] });
vi.stubGlobal("fetch", fetchMock);
beforeEach(() => {
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: "token-1" });
  fetchMock.mockReset();
  fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
  // later than any cached token's lifetime, so each test reads the secret afresh
  now += 60 * 60_000;
  vi.setSystemTime(now);
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("the time-series writer", () => {
  it("writes the batch's telemetry as one line-protocol request with the write token", async () => {
    expect(await handler(kinesisBatch([reading("CU-1", 3.9), reading("CU-2", 4.1)]))).toEqual({ batchItemFailures: [] });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("https://influx.example:8086/api/v2/write?org=my%20app&bucket=telemetry&precision=ms");
    expect(init).toMatchObject({ method: "POST", headers: { Authorization: "Token token-1" } });
    expect(init?.body).toBe("telemetry,thing=CU-1 temperature=3.9 1767225600000\ntelemetry,thing=CU-2 temperature=4.1 1767225600000");
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: "arn:aws:secretsmanager:us-east-1:111122223333:secret:write-token" });
  });

  it("skips records that are not telemetry, and calls nobody for a batch without any", async () => {
    await handler(kinesisBatch(["not json", reading("CU-1", 3.9)]));
    expect(fetchMock.mock.calls[0]![1]?.body).toBe("telemetry,thing=CU-1 temperature=3.9 1767225600000");
    fetchMock.mockClear();
    expect(await handler(kinesisBatch(["{", { thingName: "CU-1" }]))).toEqual({ batchItemFailures: [] });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("reuses the token for five minutes, then reads it again", async () => {
    await handler(kinesisBatch([reading("CU-1", 1)]));
    vi.setSystemTime(now + 299_000);
    await handler(kinesisBatch([reading("CU-1", 2)]));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    vi.setSystemTime(now + 301_000);
    await handler(kinesisBatch([reading("CU-1", 3)]));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("fails the batch when InfluxDB refuses the token, and reads the secret again on the retry", async () => {
    await handler(kinesisBatch([reading("CU-1", 1)]));
    fetchMock.mockResolvedValueOnce(new Response("unauthorized", { status: 401 }));
    await expect(handler(kinesisBatch([reading("CU-1", 2)]))).rejects.toThrow(/refused the write token \(401\).*store it in arn:aws:secretsmanager/);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: "token-2" });
    await handler(kinesisBatch([reading("CU-1", 2)]));
    expect(fetchMock.mock.calls.at(-1)![1]).toMatchObject({ headers: { Authorization: "Token token-2" } });
  });

  it("fails the batch on any other refused write, saying what InfluxDB answered", async () => {
    fetchMock.mockResolvedValueOnce(new Response("partial write: field type conflict", { status: 422 }));
    await expect(handler(kinesisBatch([reading("CU-1", 1)]))).rejects.toThrow("InfluxDB write failed: 422 partial write: field type conflict");
  });
});

describe("line protocol", () => {
  it("writes one point per message, tagged with the thing, at the device's time", () => {
    expect(toLineProtocol({ thingName: "CU-0042", ts: 1767225599000, receivedAt: 1767225600000, metrics: { temperature: 3.9, compressorAmps: 4, door: "closed", defrosting: false } })).toEqual([
      'telemetry,thing=CU-0042 temperature=3.9,compressorAmps=4,door="closed",defrosting=false 1767225599000',
    ]);
  });

  it("falls back to the arrival time and escapes what line protocol reserves", () => {
    expect(toLineProtocol({ thingName: "unit 7,a=b", receivedAt: 1767225600000, metrics: { "set point": 4, note: 'say "hi"' } })).toEqual([
      'telemetry,thing=unit\\ 7\\,a\\=b set\\ point=4,note="say \\"hi\\"" 1767225600000',
    ]);
  });

  it("skips messages it cannot place: no thing, no time, no usable reading", () => {
    expect(toLineProtocol({ receivedAt: 1, metrics: { t: 1 } })).toEqual([]);
    expect(toLineProtocol({ thingName: "CU-1", metrics: { t: 1 } })).toEqual([]);
    expect(toLineProtocol({ thingName: "CU-1", receivedAt: 1, metrics: { nested: { a: 1 }, nan: Number.NaN } })).toEqual([]);
    expect(toLineProtocol("not an object")).toEqual([]);
  });
});
