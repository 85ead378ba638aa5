// Types of delivery.mjs, for the TypeScript tests that import it.
export type Outcome = "delivered" | "gone" | "retry" | "drop";
export declare const MAX_ATTEMPTS: number;
export declare function outcomeOf(error: { name?: string; statusCode?: number; $metadata?: { httpStatusCode?: number } } | undefined | null): Outcome;
export declare function retryDelaySeconds(attempt: number, random?: () => number): number;
export declare function summarise(results: { connectionId: string; outcome: Outcome }[]): { delivered: number; gone: string[]; retry: string[]; dropped: string[] };
