// Types of rag.mjs, for the TypeScript tests that import it.
export type Filter = { equals: { key: string; value: string } } | { in: { key: string; value: string[] } };
export type Passage = { n: number; text: string; source: string; score?: number };
export type GoldenItem = { question: string; groups: string[]; expectSources: string[]; expectPhrases: string[]; forbidSources: string[] };
export type Score = { question: string; passed: boolean; reasons: string[] };
export declare const MAX_QUESTION: number;
export declare const PASSAGES: number;
export declare const DEPARTMENT_KEY: string;
export declare const PUBLIC_DEPARTMENT: string;
export declare const SYSTEM_PROMPT: string;
export declare function parseAsk(body: string | undefined | null): { error: string } | { question: string; department?: string };
export declare function buildFilter(groups: string[], requested?: string): { error: string } | { filter: Filter | undefined };
export declare function groupsOf(claims: Record<string, unknown> | undefined): string[];
export declare function passagesFrom(results: unknown[] | undefined): Passage[];
export declare function converseRequest(options: {
  modelId: string;
  question: string;
  passages: Passage[];
  guardrailId: string;
  guardrailVersion: string;
  maxTokens: number;
  streaming: boolean;
}): {
  modelId: string;
  system: { text: string }[];
  messages: { role: string; content: ({ text: string } | { guardContent: { text: { text: string; qualifiers: string[] } } })[] }[];
  inferenceConfig: { maxTokens: number; temperature: number };
  guardrailConfig: { guardrailIdentifier: string; guardrailVersion: string; trace: string; streamProcessingMode?: string };
};
export declare function sse(event: string, data: unknown): string;
export declare function citedSources(answer: string, passages: Passage[]): { n: number; source: string }[];
export declare function parseGolden(text: string): GoldenItem[];
export declare function scoreAnswer(item: GoldenItem, result: { answer: string; sources: string[]; blocked: boolean }): Score;
export declare function summarise(scores: Score[], minimumPassRate: number): { total: number; passed: number; passRate: number; minimumPassRate: number; promote: boolean };
