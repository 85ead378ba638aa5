import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, outcomeOf, retryDelaySeconds, summarise } from "../lambda/realtime/delivery";

describe("handling a PostToConnection outcome", () => {
  it("deletes gone connections, retries throttles and server errors, drops what can never be delivered", () => {
    expect(outcomeOf(undefined)).toBe("delivered");
    expect(outcomeOf({ name: "GoneException", $metadata: { httpStatusCode: 410 } })).toBe("gone");
    expect(outcomeOf({ name: "LimitExceededException", $metadata: { httpStatusCode: 429 } })).toBe("retry");
    expect(outcomeOf({ name: "InternalServerError", $metadata: { httpStatusCode: 500 } })).toBe("retry");
    expect(outcomeOf({ name: "PayloadTooLargeException", $metadata: { httpStatusCode: 413 } })).toBe("drop");
    expect(outcomeOf({ name: "ForbiddenException", $metadata: { httpStatusCode: 403 } })).toBe("drop");
    expect(outcomeOf({ name: "TimeoutError" })).toBe("retry");
  });

  it("backs off with jitter, growing with each attempt and never beyond SQS's 15 minutes", () => {
    expect(retryDelaySeconds(1, () => 0.999)).toBe(1);
    expect(retryDelaySeconds(4, () => 0.999)).toBe(15);
    expect(retryDelaySeconds(20, () => 0.999)).toBe(511);
    expect(retryDelaySeconds(3, () => 0)).toBe(1);
    for (let attempt = 1; attempt <= 30; attempt++) expect(retryDelaySeconds(attempt)).toBeLessThanOrEqual(900);
    expect(MAX_ATTEMPTS).toBe(5);
  });

  it("sums up a batch into the follow-up work", () => {
    expect(
      summarise([
        { connectionId: "a", outcome: "delivered" },
        { connectionId: "b", outcome: "gone" },
        { connectionId: "c", outcome: "retry" },
        { connectionId: "d", outcome: "drop" },
        { connectionId: "e", outcome: "delivered" },
      ]),
    ).toEqual({ delivered: 2, gone: ["b"], retry: ["c"], dropped: ["d"] });
  });
});
