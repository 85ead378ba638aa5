// What to do with the outcome of one PostToConnection call (tested in test/delivery.test.ts).

export type Outcome = "delivered" | "gone" | "retry" | "drop";
/** What `outcomeOf` reads of a failed call's error (an SDK ServiceException fits). */
export type CallError = { name?: string; statusCode?: number; $metadata?: { httpStatusCode?: number | undefined } };

/** Attempts before a connection's message is given up and recorded in the dead-letter queue. */
export const MAX_ATTEMPTS = 5;

/**
 * `delivered`; `gone` (410: the connection closed, so its records are deleted); `retry` (throttled or
 * a server error: try again later); `drop` (the message can never be delivered to it, e.g. too large).
 */
export function outcomeOf(error: CallError | null | undefined): Outcome {
  if (!error) return "delivered";
  const status = error.$metadata?.httpStatusCode ?? error.statusCode;
  if (error.name === "GoneException" || status === 410) return "gone";
  if (["LimitExceededException", "ThrottlingException", "TooManyRequestsException"].includes(error.name ?? "") || status === 429 || (typeof status === "number" && status >= 500)) return "retry";
  if (error.name === "PayloadTooLargeException" || error.name === "ForbiddenException" || status === 413 || status === 403) return "drop";
  return "retry";
}

/** Seconds before the next attempt: exponential with full jitter, within SQS's 15-minute delay limit. */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(900, 2 ** Math.min(attempt, 9));
  return Math.max(1, Math.floor(random() * ceiling));
}

/** Groups per-connection results into the follow-up work of one delivery batch. */
export function summarise(results: readonly { connectionId: string; outcome: Outcome }[]): { delivered: number; gone: string[]; retry: string[]; dropped: string[] } {
  const by = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).map((r) => r.connectionId);
  return { delivered: by("delivered").length, gone: by("gone"), retry: by("retry"), dropped: by("drop") };
}
