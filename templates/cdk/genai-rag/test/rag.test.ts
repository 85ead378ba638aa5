import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  MAX_QUESTION,
  buildFilter,
  citedSources,
  converseRequest,
  groupsOf,
  parseAsk,
  parseGolden,
  passagesFrom,
  scoreAnswer,
  sse,
  summarise,
  type GoldenItem,
} from "../lambda/rag/rag";

const item = (extra: Partial<GoldenItem> = {}): GoldenItem => ({ question: "q", groups: [], expectSources: [], expectPhrases: [], forbidSources: [], ...extra });

describe("who may see which documents", () => {
  it("searches the caller's departments and public documents, never another department", () => {
    expect(buildFilter(["hr"])).toEqual({ filter: { in: { key: "department", value: ["hr", "public"] } } });
    expect(buildFilter([])).toEqual({ filter: { in: { key: "department", value: ["public"] } } });
  });

  it("narrows to a requested department only when the caller may see it", () => {
    expect(buildFilter(["hr", "finance"], "finance")).toEqual({ filter: { equals: { key: "department", value: "finance" } } });
    expect(buildFilter(["sales"], "hr")).toEqual({ error: "no access to hr documents" });
  });

  it("lets admins search everything", () => {
    expect(buildFilter(["admins"])).toEqual({ filter: undefined });
    expect(buildFilter(["admins"], "hr")).toEqual({ filter: { equals: { key: "department", value: "hr" } } });
  });

  it("reads Cognito groups however API Gateway renders the claim", () => {
    expect(groupsOf({ "cognito:groups": ["hr", "sales"] })).toEqual(["hr", "sales"]);
    expect(groupsOf({ "cognito:groups": "[hr, sales]" })).toEqual(["hr", "sales"]);
    expect(groupsOf({ "cognito:groups": "hr,sales" })).toEqual(["hr", "sales"]);
    expect(groupsOf({})).toEqual([]);
    expect(groupsOf(undefined)).toEqual([]);
  });
});

describe("asking", () => {
  it("accepts a question and an optional department, and refuses anything else", () => {
    expect(parseAsk('{"question":"  How much leave?  "}')).toEqual({ question: "How much leave?", department: undefined });
    expect(parseAsk('{"question":"x","department":"hr"}')).toEqual({ question: "x", department: "hr" });
    expect(parseAsk("nope")).toEqual({ error: "the body is not JSON" });
    expect(parseAsk(JSON.stringify({ question: "x".repeat(MAX_QUESTION + 1) }))).toHaveProperty("error");
    expect(parseAsk(JSON.stringify({ question: "x", department: "HR & Co" }))).toHaveProperty("error");
    expect(parseAsk(null)).toHaveProperty("error");
  });

  it("numbers retrieved passages with their source and skips empty ones", () => {
    const passages = passagesFrom([
      { content: { text: "Staff get 25 days." }, location: { s3Location: { uri: "s3://docs/documents/hr/leave.pdf" } }, score: 0.8 },
      { content: { text: "   " }, location: { s3Location: { uri: "s3://docs/documents/empty.pdf" } } },
      { content: { text: "Travel over 5,000 needs the CFO." }, location: { s3Location: { uri: "s3://docs/documents/finance/travel.pdf" } } },
    ]);
    expect(passages.map((p) => [p.n, p.source])).toEqual([
      [1, "s3://docs/documents/hr/leave.pdf"],
      [2, "s3://docs/documents/finance/travel.pdf"],
    ]);
  });

  it("builds a Converse request whose guardrail grounds the answer in the passages and checks the question", () => {
    const passages = passagesFrom([{ content: { text: "Staff get 25 days." }, location: { s3Location: { uri: "s3://d/documents/leave.pdf" } } }]);
    const request = converseRequest({ modelId: "amazon.nova-lite-v1:0", question: "How much leave?", passages, guardrailId: "g-1", guardrailVersion: "1", maxTokens: 800, streaming: true });
    const guarded = (request.messages[0]!.content ?? []).flatMap((c) => (c.guardContent?.text ? [c.guardContent.text] : []));
    expect(guarded.map((g) => g.qualifiers)).toEqual([["grounding_source"], ["query", "guard_content"]]);
    expect(guarded[0]!.text).toContain("[1] (s3://d/documents/leave.pdf)\nStaff get 25 days.");
    expect(request.inferenceConfig.maxTokens).toBe(800);
    expect(request.guardrailConfig).toEqual({ guardrailIdentifier: "g-1", guardrailVersion: "1", trace: "disabled", streamProcessingMode: "sync" });
    expect(converseRequest({ ...request, question: "q", passages: [], guardrailId: "g", guardrailVersion: "1", maxTokens: 10, streaming: false }).guardrailConfig).not.toHaveProperty("streamProcessingMode");
  });

  it("streams server-sent events and lists only the sources an answer cites", () => {
    expect(sse("token", { text: "Hi" })).toBe('event: token\ndata: {"text":"Hi"}\n\n');
    const passages = [
      { n: 1, text: "a", source: "s3://d/a.pdf" },
      { n: 2, text: "b", source: "s3://d/b.pdf" },
    ];
    expect(citedSources("Twenty-five days [2].", passages)).toEqual([{ n: 2, source: "s3://d/b.pdf" }]);
    expect(citedSources("No citation.", passages)).toEqual([]);
  });
});

describe("evaluating an index before it goes live", () => {
  it("reads the shipped test questions", () => {
    const items = parseGolden(readFileSync(join(__dirname, "..", "evaluation", "golden.jsonl"), "utf8"));
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.some((i) => i.forbidSources.length > 0)).toBe(true);
    expect(() => parseGolden("{nope")).toThrow(/line 1 is not JSON/);
    expect(() => parseGolden('{"groups":[]}')).toThrow(/no question/);
  });

  it("passes an answer only with the expected sources and phrases, and fails one that saw a forbidden file", () => {
    const expected = item({ expectSources: ["documents/hr/leave.pdf"], expectPhrases: ["25 days"] });
    expect(scoreAnswer(expected, { answer: "Staff get 25 Days [1].", sources: ["s3://b/documents/hr/leave.pdf"], blocked: false }).passed).toBe(true);
    expect(scoreAnswer(expected, { answer: "Staff get 20 days [1].", sources: ["s3://b/documents/hr/leave.pdf"], blocked: false }).reasons).toEqual(['answer lacks "25 days"']);
    expect(scoreAnswer(expected, { answer: "25 days", sources: [], blocked: false }).reasons).toEqual(["did not retrieve documents/hr/leave.pdf"]);
    expect(scoreAnswer(expected, { answer: "", sources: ["s3://b/documents/hr/leave.pdf"], blocked: true }).reasons).toContain("the guardrail blocked the answer");
    const access = item({ groups: ["sales"], forbidSources: ["documents/hr/case-notes.pdf"] });
    expect(scoreAnswer(access, { answer: "I could not find it.", sources: ["s3://b/documents/public/faq.pdf"], blocked: false }).passed).toBe(true);
    expect(scoreAnswer(access, { answer: "...", sources: ["s3://b/documents/hr/case-notes.pdf"], blocked: false }).passed).toBe(false);
  });

  it("promotes only at or above the pass rate, and never on an empty test set", () => {
    const pass = { question: "q", passed: true, reasons: [] };
    const fail = { question: "q", passed: false, reasons: ["x"] };
    expect(summarise([pass, pass, pass, pass, fail], 0.8)).toMatchObject({ total: 5, passed: 4, passRate: 0.8, promote: true });
    expect(summarise([pass, pass, fail], 0.8)).toMatchObject({ promote: false });
    expect(summarise([], 0.8)).toMatchObject({ total: 0, promote: false });
  });
});
