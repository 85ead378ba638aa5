import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { deriveQuantities, listAssumptions, statedPaths } from "../src/requirements/basis.ts";
import { assessDraft } from "../src/requirements/resolve.ts";
import { WORKLOADS } from "../src/requirements/values.ts";
import { adviseOn } from "../src/scoring/advice.ts";
import { missPenalty } from "../src/scoring/criteria.ts";
import { rank } from "../src/scoring/rank.ts";
import { someRequirements } from "./builders.ts";

const catalog = await loadCatalog();
const assess = (data: Record<string, unknown>) => assessDraft({ source: undefined, data, fromFlags: new Set(), notices: [] });

describe("unknown is unknown", () => {
  it.each(WORKLOADS.map((w) => [w]))("workload %s alone: every entry's reasons are about the workload only", (w) => {
    for (const entry of rank(catalog, assess({ workload: [w] }))) {
      expect(entry.reasons.filter((r) => r.on !== "workload" && r.on !== "score"), entry.id).toEqual([]);
      expect(entry.unmet, entry.id).toEqual([]);
    }
  });

  it("stating a value the default already holds moves the scores it should: a team of 3", () => {
    const silent = rank(catalog, assess({ workload: ["api"] }));
    const stated = rank(catalog, assess({ workload: ["api"], team: { size: 3 } }));
    const serverless = (r: typeof silent) => r.find((e) => e.id === "serverless")!;
    expect(serverless(stated).score).toBeGreaterThan(serverless(silent).score);
    expect(serverless(stated).reasons.some((r) => r.on === "team.size")).toBe(true);
  });

  it("lists what was assumed apart from what was stated", () => {
    const assessed = assess({ workload: ["api"], rpo: "5m" });
    expect(assessed.basis.statedData).toEqual({ workload: ["api"], rpo: "5m" });
    const assumed = listAssumptions(assessed);
    expect(assumed.find((a) => a.on === "team.size")).toMatchObject({ value: 3, basis: "default", scored: false });
    expect(assumed.some((a) => a.on === "rpo")).toBe(false);
  });

  it.each(WORKLOADS.map((w) => [w]))("workload %s: a global audience alone adds no complement", (w) => {
    const plain = adviseOn(catalog, assess({ workload: [w] })).recommendation.complements;
    const global = adviseOn(catalog, assess({ workload: [w], audience: "global" })).recommendation.complements;
    expect(global).toEqual(plain);
  });
});

describe("derived quantities, labelled and never over a stated value", () => {
  it("derives events/s from a daily volume, so a 30 TB clickstream is no trickle", () => {
    const assessed = assess({ workload: ["streaming-analytics"], data: { dailyVolumeGb: 30_000 } });
    const eps = assessed.basis.derived.get("traffic.eventsPerSecond");
    expect(eps?.value).toBeGreaterThan(300_000);
    expect(eps?.says).toMatch(/1 KB \(assumed\)/);
    const realtime = rank(catalog, assessed).find((e) => e.id === "realtime-analytics")!;
    expect(realtime.reasons.some((r) => r.on === "traffic.eventsPerSecond" && r.derived)).toBe(true);
  });

  it("derives requests/s from concurrent users and back, and egress from requests with a stated response size", () => {
    const a = assess({ workload: ["web-app"], traffic: { peakConcurrentUsers: 5000, responseKb: 100 } });
    expect(a.requirements.traffic.requestsPerSecond).toBe(500);
    expect(a.basis.derived.has("traffic.monthlyEgressGb")).toBe(true);
    const b = assess({ workload: ["api"], traffic: { requestsPerSecond: 200 } });
    expect(b.requirements.traffic.peakConcurrentUsers).toBe(2000);
    expect(b.basis.derived.has("traffic.monthlyEgressGb")).toBe(false);
  });

  it("never overwrites a stated value", () => {
    const r = someRequirements({ traffic: { peakConcurrentUsers: 5000, requestsPerSecond: 7 } });
    const a = deriveQuantities(r, statedPaths({ workload: ["api"], traffic: { peakConcurrentUsers: 5000, requestsPerSecond: 7 } }));
    expect(a.requirements.traffic.requestsPerSecond).toBe(7);
    expect(a.basis.derived.size).toBe(0);
  });
});

describe("graded misses", () => {
  it("costs more the further the entry misses, and the closest stays ahead", () => {
    expect(missPenalty(15, 15 / 9)).toBeLessThan(missPenalty(15, 60 / 9));
    expect(missPenalty(20, 300)).toBeLessThan(missPenalty(20, 86_400));
    expect(missPenalty(20, 1.01)).toBe(10);
    expect(missPenalty(20, 1e9)).toBe(60);
  });

  it("an RPO of zero: the entry that comes closest loses the least", () => {
    const ranking = rank(catalog, assess({ workload: ["api"], rpo: "0" }));
    const penalty = (id: string) => -ranking.find((e) => e.id === id)!.reasons.filter((r) => r.on === "rpo").reduce((s, r) => s + r.points, 0);
    expect(penalty("multi-region-dr")).toBeLessThan(penalty("cost-optimized-batch"));
  });

  it("a hard constraint missed ranks below every entry that meets them all, and the notes say why", () => {
    const advice = adviseOn(catalog, assess({ workload: ["web-app", "api"], rto: "15m", data: { residency: "country" } }));
    const first = advice.ranking[0]!;
    expect(first.unmet.some((u) => u.hard)).toBe(false);
    const dr = advice.ranking.find((e) => e.id === "multi-region-dr")!;
    expect(dr.unmet.find((u) => u.on === "data.residency")?.hard).toBe(true);
    expect(advice.recommendation.complements).not.toContain("multi-region-dr");
  });
});

describe("the lean scorer of the what-if rankings", () => {
  it("gives every entry the same score, unmet constraints and hard misses as the full one", async () => {
    const { scoreOnly, scoreEntry, missesHard } = await import("../src/scoring/rank.ts");
    const { readdirSync } = await import("node:fs");
    const { draftRequirements } = await import("../src/requirements/resolve.ts");
    const files = [...readdirSync("examples").filter((f) => f.endsWith(".yaml")).map((f) => `examples/${f}`), ...readdirSync("test/fixtures/calibration").filter((f) => f !== "expectations.yaml").map((f) => `test/fixtures/calibration/${f}`)];
    for (const file of files) {
      const a = assessDraft(draftRequirements(file, {}));
      for (const p of catalog) {
        const full = scoreEntry(p, a);
        const lean = scoreOnly(p, a);
        expect([lean.score, lean.unmet.length, missesHard(lean)], `${file} ${p.id}`).toEqual([full.score, full.unmet.length, missesHard(full)]);
      }
    }
  });

  it("finds the same changes when it re-scores only the parts a what-if touches as when it ranks everything again", async () => {
    const { findSensitivity } = await import("../src/scoring/sensitivity.ts");
    const { rank } = await import("../src/scoring/rank.ts");
    const { readdirSync } = await import("node:fs");
    const { draftRequirements } = await import("../src/requirements/resolve.ts");
    const files = [
      ...readdirSync("examples").filter((f) => f.endsWith(".yaml")).map((f) => `examples/${f}`),
      ...readdirSync("test/fixtures/calibration").filter((f) => f !== "expectations.yaml").map((f) => `test/fixtures/calibration/${f}`),
      ...readdirSync("test/fixtures/scaffold-sets").map((f) => `test/fixtures/scaffold-sets/${f}`),
    ];
    let found = 0;
    for (const file of files) {
      const a = assessDraft(draftRequirements(file, {}));
      const primary = rank(catalog, a)[0]!.id;
      const quick = findSensitivity(catalog, a, primary);
      expect(quick, file).toEqual(findSensitivity(catalog, a, primary, { incremental: false }));
      found += quick.length;
    }
    expect(found, "the comparison covers real changes").toBeGreaterThan(files.length);
  });

  it("declares every path each envelope criterion reads (a what-if on any other path leaves its check as it was)", async () => {
    const { CRITERIA, CRITERION_READS } = await import("../src/scoring/criteria.ts");
    const { recordReads } = await import("../src/scoring/sensitivity.ts");
    const { estimateCost } = await import("../src/scoring/cost.ts");
    const { readdirSync } = await import("node:fs");
    const { draftRequirements } = await import("../src/requirements/resolve.ts");
    const files = [...readdirSync("examples").filter((f) => f.endsWith(".yaml")).map((f) => `examples/${f}`), ...readdirSync("test/fixtures/scaffold-sets").map((f) => `test/fixtures/scaffold-sets/${f}`)];
    for (const file of files) {
      const a = assessDraft(draftRequirements(file, {}));
      for (const p of catalog) {
        for (const criterion of CRITERIA) {
          const reads = new Set<string>();
          const check = criterion(p, recordReads(a.requirements, reads), () => estimateCost(p, a.requirements));
          check?.says();
          check?.target();
          const declared = CRITERION_READS.get(criterion) ?? [];
          if (declared.includes("*")) continue;
          expect([...reads].filter((r) => !declared.includes(r)), `${criterion.name} on ${p.id} (${file})`).toEqual([]);
        }
      }
    }
  });
});
