import { BedrockAgentRuntimeClient, RetrieveCommand } from "@aws-sdk/client-bedrock-agent-runtime";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../lambda/rag/evaluate";
import { useEnv } from "./support/lambda-events";

const s3 = mockClient(S3Client);
const agent = mockClient(BedrockAgentRuntimeClient);
const runtime = mockClient(BedrockRuntimeClient);

const GOLDEN = [
  "# two questions",
  JSON.stringify({ question: "How much leave?", groups: ["hr"], expectSources: ["documents/hr/leave.pdf"], expectPhrases: ["25 days"] }),
  JSON.stringify({ question: "What do the case notes say?", groups: ["sales"], forbidSources: ["documents/hr/case-notes.pdf"] }),
].join("\n");
const passage = (text: string, uri: string) => ({ content: { text, type: "TEXT" as const }, location: { type: "S3" as const, s3Location: { uri } } });
const answer = (text: string, stopReason = "end_turn") => ({ output: { message: { role: "assistant" as const, content: [{ text }] } }, stopReason: stopReason as never });

useEnv({ BUCKET: "docs", GOLDEN_KEY: "evaluation/golden.jsonl", REPORT_PREFIX: "evaluation/reports/", MODEL_ID: "amazon.nova-lite-v1:0", GUARDRAIL_ID: "g-1", GUARDRAIL_VERSION: "3", MAX_TOKENS: "800", MINIMUM_PASS_RATE: "0.8" });
beforeEach(() => {
  for (const mock of [s3, agent, runtime]) mock.reset();
  s3.on(GetObjectCommand, { Bucket: "docs", Key: "evaluation/golden.jsonl" }).resolves({ Body: { transformToString: async () => GOLDEN } as never });
  agent.on(RetrieveCommand, { retrievalQuery: { text: "How much leave?" } }).resolves({ retrievalResults: [passage("Staff get 25 days.", "s3://docs/documents/hr/leave.pdf")] });
  agent.on(RetrieveCommand, { retrievalQuery: { text: "What do the case notes say?" } }).resolves({ retrievalResults: [passage("Opening hours.", "s3://docs/documents/public/faq.pdf")] });
  runtime.on(ConverseCommand).resolves(answer("Staff get 25 days [1]."));
});

describe("evaluating a candidate index", () => {
  it("asks every test question of the candidate, as its asker would, and promotes when enough pass", async () => {
    const verdict = await handler({ knowledgeBaseId: "KB-GREEN" });
    expect(verdict).toMatchObject({ total: 2, passed: 2, passRate: 1, minimumPassRate: 0.8, promote: true });
    const retrievals = agent.commandCalls(RetrieveCommand).map((c) => c.args[0].input);
    expect(retrievals.map((r) => r.knowledgeBaseId)).toEqual(["KB-GREEN", "KB-GREEN"]);
    expect(retrievals.map((r) => r.retrievalConfiguration?.vectorSearchConfiguration?.filter)).toEqual([
      { in: { key: "department", value: ["hr", "public"] } },
      { in: { key: "department", value: ["sales", "public"] } },
    ]);
    // the same prompt and guardrail as the answer function, without streaming
    expect(runtime.commandCalls(ConverseCommand)[0]!.args[0].input.guardrailConfig).toEqual({ guardrailIdentifier: "g-1", guardrailVersion: "3", trace: "disabled" });
  });

  it("writes a report of every score beside the questions, and returns its key", async () => {
    runtime.on(ConverseCommand).resolves(answer("Staff get 20 days [1]."));
    const verdict = await handler({ knowledgeBaseId: "KB-GREEN" });
    expect(verdict).toMatchObject({ passed: 1, passRate: 0.5, promote: false });
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put.Bucket).toBe("docs");
    expect(put.Key).toBe(verdict.reportKey);
    expect(put.Key).toMatch(/^evaluation\/reports\/2\d{3}-.*-KB-GREEN\.json$/);
    const report = JSON.parse(String(put.Body)) as { scores: { passed: boolean; reasons: string[] }[] };
    expect(report.scores.map((s) => s.reasons)).toEqual([['answer lacks "25 days"'], []]);
  });

  it("fails a question whose answer the guardrail blocked", async () => {
    runtime.on(ConverseCommand).resolves(answer("", "guardrail_intervened"));
    const verdict = await handler({ knowledgeBaseId: "KB-GREEN" });
    expect(verdict.promote).toBe(false);
    const report = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body)) as { scores: { reasons: string[] }[] };
    expect(report.scores[0]!.reasons).toContain("the guardrail blocked the answer");
  });

  it("refuses to run without a candidate index", async () => {
    await expect(handler({ knowledgeBaseId: "" })).rejects.toThrow("knowledgeBaseId is required");
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });
});
