import { BedrockAgentRuntimeClient, RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient, ConverseStreamCommand, type ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../lambda/rag/answer";
import { apiRequest, useEnv } from "./support/lambda-events";

// The Lambda runtime's `awslambda` global, as far as answer.ts uses it: the handler runs as it is, and
// the response stream is a recorder of what was written. Set before answer.ts loads.
const written = vi.hoisted(() => {
  const record = { metadata: undefined as unknown, chunks: [] as string[], ended: false };
  Object.assign(globalThis, {
    awslambda: {
      streamifyResponse: (fn: unknown) => fn,
      HttpResponseStream: {
        from: (stream: unknown, metadata: unknown) => {
          record.metadata = metadata;
          return stream;
        },
      },
    },
  });
  return record;
});

const ssm = mockClient(SSMClient);
const agent = mockClient(BedrockAgentRuntimeClient);
const runtime = mockClient(BedrockRuntimeClient);

const chunks = async function* (...parts: ConverseStreamOutput[]) {
  yield* parts;
};
const token = (text: string) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } }) as ConverseStreamOutput;
const stop = (stopReason: string) => ({ messageStop: { stopReason } }) as ConverseStreamOutput;
const passage = (text: string, uri: string) => ({ content: { text, type: "TEXT" as const }, location: { type: "S3" as const, s3Location: { uri } } });

/** Asks as a user of these Cognito groups; returns the server-sent events, parsed. */
async function ask(body: unknown, groups = "[hr]") {
  written.chunks = [];
  written.ended = false;
  const stream = { write: (chunk: string) => written.chunks.push(chunk), end: () => (written.ended = true) };
  const event = apiRequest({ method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), claims: { sub: "user-1", "cognito:groups": groups } });
  await handler(event, stream as never, {} as Context);
  return written.chunks.map((chunk) => {
    const [, name, data] = /^event: (\w+)\ndata: (.*)\n\n$/s.exec(chunk) ?? [];
    return [name, JSON.parse(data ?? "null")] as [string, unknown];
  });
}

useEnv({ LIVE_PARAMETER: "/app/live", MODEL_ID: "amazon.nova-lite-v1:0", GUARDRAIL_ID: "g-1", GUARDRAIL_VERSION: "3", MAX_TOKENS: "800" });
let now = Date.UTC(2026, 11, 6);
vi.useFakeTimers({ toFake: ["Date"] });
beforeEach(() => {
  for (const mock of [ssm, agent, runtime]) mock.reset();
  // a new minute for each test, so the live index is read afresh
  now += 10 * 60_000;
  vi.setSystemTime(now);
  ssm.on(GetParameterCommand, { Name: "/app/live" }).resolves({ Parameter: { Value: "KB-BLUE" } });
  agent.on(RetrieveCommand).resolves({
    retrievalResults: [passage("Staff get 25 days.", "s3://docs/documents/hr/leave.pdf"), passage("Part-time staff get it pro rata.", "s3://docs/documents/hr/part-time.pdf")],
  });
  runtime.on(ConverseStreamCommand).callsFake(async () => ({ stream: chunks(token("Full-time staff get "), token("25 days [1]."), stop("end_turn")) }));
});
afterAll(() => {
  vi.useRealTimers();
});

describe("answering a question", () => {
  it("streams the answer's tokens, then the sources it cites, then done", async () => {
    expect(await ask({ question: "How much leave?" })).toEqual([
      ["token", { text: "Full-time staff get " }],
      ["token", { text: "25 days [1]." }],
      ["sources", [{ n: 1, source: "s3://docs/documents/hr/leave.pdf" }]],
      ["done", { knowledgeBaseId: "KB-BLUE" }],
    ]);
    expect(written.ended).toBe(true);
    expect(written.metadata).toMatchObject({ statusCode: 200, headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store" } });
  });

  it("searches the live index within the caller's departments, and asks the model under the guardrail", async () => {
    await ask({ question: "How much leave?" }, "[hr, sales]");
    expect(agent.commandCalls(RetrieveCommand)[0]!.args[0].input).toEqual({
      knowledgeBaseId: "KB-BLUE",
      retrievalQuery: { text: "How much leave?" },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 5, filter: { in: { key: "department", value: ["hr", "sales", "public"] } } } },
    });
    const request = runtime.commandCalls(ConverseStreamCommand)[0]!.args[0].input;
    expect(request).toMatchObject({ modelId: "amazon.nova-lite-v1:0", inferenceConfig: { maxTokens: 800 }, guardrailConfig: { guardrailIdentifier: "g-1", guardrailVersion: "3", streamProcessingMode: "sync" } });
    expect(JSON.stringify(request.messages)).toContain("[2] (s3://docs/documents/hr/part-time.pdf)");
  });

  it("ends with blocked, and lists no sources, when the guardrail intervenes", async () => {
    runtime.on(ConverseStreamCommand).callsFake(async () => ({ stream: chunks(token("Sorry"), stop("guardrail_intervened")) }));
    const events = await ask({ question: "What is my colleague's salary?" });
    expect(events.map(([name]) => name)).toEqual(["token", "blocked"]);
  });

  it("answers a bad request with an error event, without calling Bedrock", async () => {
    expect(await ask("{not json")).toEqual([["error", { error: "the body is not JSON" }]]);
    expect(await ask({ question: "Leave?", department: "finance" })).toEqual([["error", { error: "no access to finance documents" }]]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(agent.commandCalls(RetrieveCommand)).toHaveLength(0);
  });

  it("reports a failure after the status line as an error event, and ends the stream", async () => {
    runtime.on(ConverseStreamCommand).rejects(new Error("ThrottlingException"));
    const silence = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await ask({ question: "How much leave?" })).toEqual([["error", { error: "The answer could not be completed; try again shortly." }]]);
    expect(written.ended).toBe(true);
    expect(silence).toHaveBeenCalledWith(expect.stringContaining("ThrottlingException"));
    silence.mockRestore();
  });

  it("reads which index is live at most once a minute", async () => {
    await ask({ question: "One?" });
    vi.setSystemTime(now + 30_000);
    await ask({ question: "Two?" });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "KB-GREEN" } });
    vi.setSystemTime(now + 90_000);
    expect((await ask({ question: "Three?" })).at(-1)).toEqual(["done", { knowledgeBaseId: "KB-GREEN" }]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});
