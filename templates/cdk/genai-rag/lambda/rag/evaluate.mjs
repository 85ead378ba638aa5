// The evaluation run the promotion workflow calls before a rebuilt index goes live. It reads the test
// questions (evaluation/golden.jsonl in the documents bucket), asks each one against the candidate
// knowledge base exactly as the answer function would (same filter rules, prompt, model and guardrail,
// without streaming), scores the answers, writes a report beside the questions and returns the verdict.
import { BedrockAgentRuntimeClient, RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PASSAGES, buildFilter, converseRequest, parseGolden, passagesFrom, scoreAnswer, summarise } from "./rag.mjs";

const agent = new BedrockAgentRuntimeClient({});
const runtime = new BedrockRuntimeClient({});
const s3 = new S3Client({});
const { BUCKET, GOLDEN_KEY, REPORT_PREFIX, MODEL_ID, GUARDRAIL_ID, GUARDRAIL_VERSION, MAX_TOKENS, MINIMUM_PASS_RATE } = process.env;

export async function handler({ knowledgeBaseId }) {
  const golden = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: GOLDEN_KEY }));
  const items = parseGolden(await golden.Body.transformToString());
  const scores = [];
  for (const item of items) {
    const access = buildFilter(item.groups);
    const retrieved = await agent.send(
      new RetrieveCommand({
        knowledgeBaseId,
        retrievalQuery: { text: item.question },
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: PASSAGES, ...(access.filter ? { filter: access.filter } : {}) } },
      }),
    );
    const passages = passagesFrom(retrieved.retrievalResults);
    const reply = await runtime.send(
      new ConverseCommand(converseRequest({ modelId: MODEL_ID, question: item.question, passages, guardrailId: GUARDRAIL_ID, guardrailVersion: GUARDRAIL_VERSION, maxTokens: Number(MAX_TOKENS), streaming: false })),
    );
    const answer = (reply.output?.message?.content ?? []).map((c) => c.text ?? "").join("");
    scores.push(scoreAnswer(item, { answer, sources: passages.map((p) => p.source), blocked: reply.stopReason === "guardrail_intervened" }));
  }
  const verdict = summarise(scores, Number(MINIMUM_PASS_RATE));
  const reportKey = `${REPORT_PREFIX}${new Date().toISOString().replace(/[:.]/g, "-")}-${knowledgeBaseId}.json`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: reportKey, ContentType: "application/json", Body: JSON.stringify({ knowledgeBaseId, ...verdict, scores }, null, 2) }));
  console.log(JSON.stringify({ knowledgeBaseId, ...verdict, reportKey }));
  return { ...verdict, reportKey };
}
