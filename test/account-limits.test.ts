import { describe, expect, it } from "vitest";
import { accountLimit, accountLimits, measureAccountLimits, quotaIncrease } from "../src/verify/account-limits.ts";
import type { Infrastructure, Resource } from "../src/verify/templates.ts";

/** The default-quota table (limits/account-limits.yaml) and how a synthesized app is measured against it. */
const resource = (logicalId: string, type: string, properties: Record<string, unknown> = {}): Resource => ({ logicalId, type, properties, metadata: {}, file: "t.json", stack: "S" });
const infra = (...stacks: { region?: string; resources: Resource[] }[]): Infrastructure => ({
  stacks: stacks.map((s, i) => ({ name: `S${i}`, file: `s${i}.json`, resources: s.resources, ...(s.region ? { region: s.region } : {}) })),
  acknowledged: [],
});

describe("account limits", () => {
  it("keeps each quota with its source, the date it was checked, and what must stay free", () => {
    const ids = accountLimits().map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining(["lambda-reserved-concurrency", "kinesis-provisioned-shards", "kinesis-on-demand-streams", "elastic-ips", "vpcs", "nat-gateways"]));
    for (const l of accountLimits()) {
      expect(l.source, l.id).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(l.checked, l.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(accountLimit("lambda-reserved-concurrency").allowed).toBe(900);
  });

  it("sums reserved concurrency per Region, so two Regions of one app each get their own 900", () => {
    const fn = (id: string, reserved?: number) => resource(id, "AWS::Lambda::Function", reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
    const uses = measureAccountLimits(infra({ region: "us-east-1", resources: [fn("A", 500), fn("B", 300), fn("C")] }, { region: "us-west-2", resources: [fn("D", 800)] }));
    const lambda = uses.filter((u) => u.limit.id === "lambda-reserved-concurrency").map((u) => [u.region, u.used, u.used <= u.allowed]);
    expect(lambda).toEqual([
      ["us-east-1", 800, true],
      ["us-west-2", 800, true],
    ]);
    const over = measureAccountLimits(infra({ resources: [fn("A", 600), fn("B", 400)] })).find((u) => u.limit.id === "lambda-reserved-concurrency")!;
    expect([over.region, over.used, over.used <= over.allowed]).toEqual(["any Region", 1000, false]);
  });

  it("counts provisioned shards apart from on-demand streams", () => {
    const uses = measureAccountLimits(
      infra({
        resources: [
          resource("P", "AWS::Kinesis::Stream", { ShardCount: 96 }),
          resource("Q", "AWS::Kinesis::Stream", { ShardCount: 4 }),
          resource("O", "AWS::Kinesis::Stream", { StreamModeDetails: { StreamMode: "ON_DEMAND" } }),
        ],
      }),
    );
    expect(uses.find((u) => u.limit.id === "kinesis-provisioned-shards")?.used).toBe(100);
    expect(uses.find((u) => u.limit.id === "kinesis-on-demand-streams")?.used).toBe(1);
  });

  it("names the quota increase to request, with the number and the quota code", () => {
    expect(quotaIncrease(accountLimit("lambda-reserved-concurrency"), 1200)).toBe("request a Lambda concurrent executions quota of at least 1300 (Service Quotas code L-B99A9384)");
  });
});
