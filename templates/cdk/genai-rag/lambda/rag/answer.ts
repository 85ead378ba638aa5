// POST /ask, streamed. API Gateway (REST, response transfer mode STREAM) invokes this function with
// InvokeWithResponseStream; it answers as server-sent events: `token` events while the model writes,
// then `sources` (the files cited), then `done`; `blocked` when the guardrail stops the question or
// the answer, `error` on a bad request. The caller is the Cognito user API Gateway verified.
//
// Retrieval uses the knowledge base the live-index parameter names (checked at most once a minute), and
// generation calls ConverseStream itself rather than RetrieveAndGenerate, so every prompt and answer is
// written to Bedrock's model invocation log and the guardrail's grounding check sees the passages.
// `awslambda` is a global of the Lambda Node.js runtime; its types come with @types/aws-lambda.
import { BedrockAgentRuntimeClient, RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { buildFilter, citedSources, converseRequest, groupsOf, parseAsk, passagesFrom, retrieveRequest, sse } from "./rag";

const agent = new BedrockAgentRuntimeClient({});
const runtime = new BedrockRuntimeClient({});
const ssm = new SSMClient({});
let live = { id: "", readAt: 0 };

/** The knowledge base answering now, as the promotion workflow last set it; read at most once a minute. */
async function liveKnowledgeBase(): Promise<string> {
  if (Date.now() - live.readAt > 60_000) {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: process.env.LIVE_PARAMETER }));
    if (!Parameter?.Value) throw new Error(`parameter ${process.env.LIVE_PARAMETER} has no value`);
    live = { id: Parameter.Value, readAt: Date.now() };
  }
  return live.id;
}

export const handler = awslambda.streamifyResponse(async (event: APIGatewayProxyEvent, responseStream) => {
  const started = Date.now();
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
  const finish = (name: string, data: unknown) => {
    stream.write(sse(name, data));
    stream.end();
  };
  const ask = parseAsk(event.body);
  if ("error" in ask) return finish("error", { error: ask.error });
  const access = buildFilter(groupsOf(event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined), ask.department);
  if ("error" in access) return finish("error", { error: access.error });

  try {
    const knowledgeBaseId = await liveKnowledgeBase();
    const retrieved = await agent.send(new RetrieveCommand(retrieveRequest(knowledgeBaseId, ask.question, access.filter)));
    const passages = passagesFrom(retrieved.retrievalResults);
    const env = process.env;
    const request = converseRequest({ modelId: env.MODEL_ID!, question: ask.question, passages, guardrailId: env.GUARDRAIL_ID!, guardrailVersion: env.GUARDRAIL_VERSION!, maxTokens: Number(env.MAX_TOKENS), streaming: true });
    const response = await runtime.send(new ConverseStreamCommand(request));
    let text = "";
    let stopReason = "";
    for await (const chunk of response.stream ?? []) {
      const delta = chunk.contentBlockDelta?.delta?.text;
      if (delta) {
        text += delta;
        stream.write(sse("token", { text: delta }));
      }
      if (chunk.messageStop) stopReason = chunk.messageStop.stopReason ?? "";
    }
    console.log(JSON.stringify({ knowledgeBaseId, passages: passages.length, stopReason, answerChars: text.length, ms: Date.now() - started }));
    if (stopReason === "guardrail_intervened") return finish("blocked", { reason: "The question or the answer was stopped by the content policy." });
    stream.write(sse("sources", citedSources(text, passages)));
    finish("done", { knowledgeBaseId });
  } catch (error) {
    // the status line is already sent: report the failure as an event, and in the logs
    console.error(JSON.stringify({ error: String(error), ms: Date.now() - started }));
    finish("error", { error: "The answer could not be completed; try again shortly." });
  }
});
