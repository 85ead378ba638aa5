// POST /ask, streamed. API Gateway (REST, response transfer mode STREAM) invokes this function with
// InvokeWithResponseStream; it answers as server-sent events: `token` events while the model writes,
// then `sources` (the files cited), then `done`; `blocked` when the guardrail stops the question or
// the answer, `error` on a bad request. The caller is the Cognito user API Gateway verified.
//
// Retrieval uses the knowledge base the live-index parameter names (checked at most once a minute), and
// generation calls ConverseStream itself rather than RetrieveAndGenerate, so every prompt and answer is
// written to Bedrock's model invocation log and the guardrail's grounding check sees the passages.
/* global awslambda */
import { BedrockAgentRuntimeClient, RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { PASSAGES, buildFilter, citedSources, converseRequest, groupsOf, parseAsk, passagesFrom, sse } from "./rag.mjs";

const agent = new BedrockAgentRuntimeClient({});
const runtime = new BedrockRuntimeClient({});
const ssm = new SSMClient({});
const { LIVE_PARAMETER, MODEL_ID, GUARDRAIL_ID, GUARDRAIL_VERSION, MAX_TOKENS } = process.env;
let live = { id: "", readAt: 0 };

async function liveKnowledgeBase() {
  if (Date.now() - live.readAt > 60_000) {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: LIVE_PARAMETER }));
    live = { id: Parameter.Value, readAt: Date.now() };
  }
  return live.id;
}

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const started = Date.now();
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
  const finish = (name, data) => {
    stream.write(sse(name, data));
    stream.end();
  };
  const ask = parseAsk(event.body);
  if ("error" in ask) return finish("error", { error: ask.error });
  const access = buildFilter(groupsOf(event.requestContext?.authorizer?.claims), ask.department);
  if ("error" in access) return finish("error", { error: access.error });

  try {
    await answer(ask, access, stream, started);
  } catch (error) {
    // the status line is already sent: report the failure as an event, and in the logs
    console.error(JSON.stringify({ error: String(error), ms: Date.now() - started }));
    finish("error", { error: "The answer could not be completed; try again shortly." });
  }
});

async function answer(ask, access, stream, started) {
  const finish = (name, data) => {
    stream.write(sse(name, data));
    stream.end();
  };
  const knowledgeBaseId = await liveKnowledgeBase();
  const retrieved = await agent.send(
    new RetrieveCommand({
      knowledgeBaseId,
      retrievalQuery: { text: ask.question },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: PASSAGES, ...(access.filter ? { filter: access.filter } : {}) } },
    }),
  );
  const passages = passagesFrom(retrieved.retrievalResults);
  const request = converseRequest({ modelId: MODEL_ID, question: ask.question, passages, guardrailId: GUARDRAIL_ID, guardrailVersion: GUARDRAIL_VERSION, maxTokens: Number(MAX_TOKENS), streaming: true });
  const response = await runtime.send(new ConverseStreamCommand(request));
  let text = "";
  let stopReason = "";
  for await (const chunk of response.stream) {
    const delta = chunk.contentBlockDelta?.delta?.text;
    if (delta) {
      text += delta;
      stream.write(sse("token", { text: delta }));
    }
    if (chunk.messageStop) stopReason = chunk.messageStop.stopReason;
  }
  console.log(JSON.stringify({ knowledgeBaseId, passages: passages.length, stopReason, answerChars: text.length, ms: Date.now() - started }));
  if (stopReason === "guardrail_intervened") return finish("blocked", { reason: "The question or the answer was stopped by the content policy." });
  stream.write(sse("sources", citedSources(text, passages)));
  finish("done", { knowledgeBaseId });
}
