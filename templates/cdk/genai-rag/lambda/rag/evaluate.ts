// The evaluation run the promotion workflow calls before a rebuilt index goes live. It reads the test
// questions (evaluation/golden.jsonl in the documents bucket), asks each one against the candidate
// knowledge base exactly as the answer function would (same filter rules, prompt, model and guardrail,
// without streaming), scores the answers, writes a report beside the questions and returns the verdict.
import { BedrockAgentRuntimeClient, RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { buildFilter, converseRequest, parseGolden, passagesFrom, retrieveRequest, type Score, scoreAnswer, summarise } from "./rag";

const agent = new BedrockAgentRuntimeClient({});
const runtime = new BedrockRuntimeClient({});
const s3 = new S3Client({});

/** What the workflow's Evaluate step sends: the candidate index. */
export type EvaluationRequest = { knowledgeBaseId: string };
export type Verdict = ReturnType<typeof summarise> & { reportKey: string };

export async function handler({ knowledgeBaseId }: EvaluationRequest): Promise<Verdict> {
  const env = process.env;
  if (typeof knowledgeBaseId !== "string" || knowledgeBaseId === "") throw new Error("knowledgeBaseId is required");
  const golden = await s3.send(new GetObjectCommand({ Bucket: env.BUCKET, Key: env.GOLDEN_KEY }));
  const items = parseGolden((await golden.Body?.transformToString()) ?? "");
  const scores: Score[] = [];
  for (const item of items) {
    const access = buildFilter(item.groups);
    const retrieved = await agent.send(new RetrieveCommand(retrieveRequest(knowledgeBaseId, item.question, "filter" in access ? access.filter : undefined)));
    const passages = passagesFrom(retrieved.retrievalResults);
    const request = converseRequest({ modelId: env.MODEL_ID!, question: item.question, passages, guardrailId: env.GUARDRAIL_ID!, guardrailVersion: env.GUARDRAIL_VERSION!, maxTokens: Number(env.MAX_TOKENS), streaming: false });
    const reply = await runtime.send(new ConverseCommand(request));
    const answer = (reply.output?.message?.content ?? []).map((c) => c.text ?? "").join("");
    scores.push(scoreAnswer(item, { answer, sources: passages.map((p) => p.source), blocked: reply.stopReason === "guardrail_intervened" }));
  }
  const verdict = summarise(scores, Number(env.MINIMUM_PASS_RATE));
  const reportKey = `${env.REPORT_PREFIX}${new Date().toISOString().replace(/[:.]/g, "-")}-${knowledgeBaseId}.json`;
  await s3.send(new PutObjectCommand({ Bucket: env.BUCKET, Key: reportKey, ContentType: "application/json", Body: JSON.stringify({ knowledgeBaseId, ...verdict, scores }, null, 2) }));
  console.log(JSON.stringify({ knowledgeBaseId, ...verdict, reportKey }));
  return { ...verdict, reportKey };
}
