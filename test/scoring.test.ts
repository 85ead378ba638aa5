import { describe, expect, it } from "vitest";
import { rank, scoreEntry } from "../src/scoring/rank.ts";
import { recommend } from "../src/scoring/recommend.ts";
import { holds } from "../src/scoring/conditions.ts";
import { estimateCost } from "../src/scoring/cost.ts";
import { allStated, aPattern, someRequirements } from "./builders.ts";

const total = (points: { points: number }[]) => points.reduce((s, r) => s + r.points, 0);
const envelope = aPattern().envelope;

describe("scoreEntry", () => {
  it("scores the workload weight and says so", () => {
    const entry = scoreEntry(aPattern(), allStated(someRequirements()));
    expect(entry.reasons[0]).toEqual({ on: "workload", points: 30, says: "A strong fit for api workloads." });
    expect(entry.score).toBe(30);
  });

  it("shares workload weights across several workloads", () => {
    const p = aPattern({ fit: { workloads: { api: 30, "web-app": 10 } } });
    const entry = scoreEntry(p, allStated(someRequirements({ workload: ["api", "web-app"] })));
    expect(entry.reasons.filter((r) => r.on === "workload").map((r) => r.points)).toEqual([15, 5]);
  });

  it("names an RPO it cannot reach as unmet and takes points for it", () => {
    const entry = scoreEntry(aPattern(), allStated(someRequirements({ rpo: "5m" })));
    expect(entry.unmet).toEqual([{ on: "rpo", says: "Its best RPO is 1 h; the target allows 5 min of data loss (12× over)." }]);
    // graded: 20 × (0.5 + 0.5 × log10 12)
    expect(entry.reasons.find((r) => r.on === "rpo")?.points).toBe(-21);
  });

  it("gives a small bonus for a demanding requirement it meets", () => {
    const entry = scoreEntry(aPattern({ envelope: { ...envelope, rpo: "1m" } }), allStated(someRequirements({ rpo: "5m" })));
    expect(entry.unmet).toEqual([]);
    expect(entry.reasons.find((r) => r.on === "rpo")?.points).toBe(4);
  });

  it("names every compliance regime it cannot satisfy", () => {
    const p = aPattern({ envelope: { ...envelope, compliance: ["soc2"] } });
    const entry = scoreEntry(p, allStated(someRequirements({ compliance: ["hipaa", "soc2", "gdpr"] })));
    expect(entry.unmet).toEqual([{ on: "compliance", hard: true, says: "Not designed to be run under hipaa, gdpr." }]);
  });

  it("says why a regime is not offered, and names the condition of one offered with a condition at half the bonus", () => {
    const p = aPattern({
      envelope: { ...envelope, compliance: ["soc2", "gdpr"], complianceNotes: { gdpr: "Erasure needs per-person keys.", hipaa: "No place for health data." } },
    });
    const missing = scoreEntry(p, allStated(someRequirements({ compliance: ["hipaa", "soc2"] })));
    expect(missing.unmet).toEqual([{ on: "compliance", hard: true, says: "Not designed to be run under hipaa. No place for health data." }]);
    const conditional = scoreEntry(p, allStated(someRequirements({ compliance: ["soc2", "gdpr"] })));
    expect(conditional.unmet).toEqual([]);
    expect(conditional.reasons.find((r) => r.on === "compliance")).toMatchObject({ points: 2, says: "Can be run under soc2, gdpr, with a condition for gdpr: Erasure needs per-person keys." });
    const plain = scoreEntry(p, allStated(someRequirements({ compliance: ["soc2"] })));
    expect(plain.reasons.find((r) => r.on === "compliance")).toMatchObject({ points: 4, says: "Can be run under soc2 as designed." });
  });

  it("flags throughput beyond the envelope", () => {
    const p = aPattern({ envelope: { ...envelope, eventsPerSecond: { max: 1000 } } });
    const entry = scoreEntry(p, allStated(someRequirements({ traffic: { eventsPerSecond: 50000 } })));
    expect(entry.unmet.map((u) => u.on)).toEqual(["traffic.eventsPerSecond"]);
  });

  it("compares the cost estimate with the budget", () => {
    const p = aPattern({
      envelope: { ...envelope, cost: { floorMonthlyUsd: 100, terms: [{ per: "traffic.requestsPerSecond", unit: 10, usd: 5, says: "per 10 rps" }], pricesAsOf: "2026-11" } },
    });
    const r = someRequirements({ traffic: { requestsPerSecond: 100 }, budgetMonthlyUsd: 120 });
    expect(estimateCost(p, r).monthlyUsd).toBe(150);
    const entry = scoreEntry(p, allStated(r));
    expect(entry.unmet.map((u) => u.on)).toEqual(["budgetMonthlyUsd"]);
    expect(entry.unmet[0]!.says).toContain("$150");
    expect(scoreEntry(p, allStated({ ...r, budgetMonthlyUsd: 1000 })).unmet).toEqual([]);
    expect(scoreEntry(p, allStated({ ...r, budgetMonthlyUsd: null })).reasons.some((x) => x.on === "budgetMonthlyUsd")).toBe(false);
  });

  it("applies a fit rule only when every condition holds", () => {
    const p = aPattern({
      fit: {
        workloads: { api: 30 },
        rules: [{ when: { "team.size": { lte: 3 }, "traffic.shape": { in: ["spiky"] } }, points: 10, says: "Small team, spiky load." }],
      },
    });
    expect(scoreEntry(p, allStated(someRequirements({ team: { size: 2 }, traffic: { shape: "spiky" } }))).score).toBe(40);
    expect(scoreEntry(p, allStated(someRequirements({ team: { size: 2 }, traffic: { shape: "steady" } }))).score).toBe(30);
  });

  it("keeps the score within 0-100 and the points adding up to it", () => {
    const low = aPattern({ fit: { workloads: { api: -40 } } });
    const entry = scoreEntry(low, allStated(someRequirements({ rpo: "0", rto: "30s", availability: 99.999, compliance: ["hipaa"] })));
    expect(entry.score).toBe(0);
    expect(total(entry.reasons)).toBe(0);
    const high = aPattern({
      fit: { workloads: { api: 40 }, rules: [1, 2, 3].map((i) => ({ when: { "team.size": { gte: 1 } }, points: 30, says: `bonus ${i}` })) },
    });
    const top = scoreEntry(high, allStated(someRequirements()));
    expect(top.score).toBe(100);
    expect(total(top.reasons)).toBe(100);
  });
});

describe("conditions", () => {
  const r = someRequirements({ workload: ["api", "web-app"], rpo: "5m", compliance: [], budgetMonthlyUsd: null });
  it("compares durations in seconds", () => {
    expect(holds({ rpo: { lte: "15m" } }, r)).toBe(true);
    expect(holds({ rpo: { lt: "300s" } }, r)).toBe(false);
  });
  it("tests lists", () => {
    expect(holds({ workload: { includes: "api" } }, r)).toBe(true);
    expect(holds({ workload: { includesAny: ["ci-cd", "web-app"] } }, r)).toBe(true);
    expect(holds({ workload: { excludes: "api" } }, r)).toBe(false);
    expect(holds({ compliance: { isEmpty: true } }, r)).toBe(true);
  });
  it("treats a missing budget as matching no comparison", () => {
    expect(holds({ budgetMonthlyUsd: { lte: 500 } }, r)).toBe(false);
    expect(holds({ budgetMonthlyUsd: { gt: 500 } }, r)).toBe(false);
    expect(holds({ budgetMonthlyUsd: { isEmpty: true } }, r)).toBe(true);
  });
});

describe("rank and recommend", () => {
  const a = aPattern({ id: "alpha", fit: { workloads: { api: 30 } } });
  const b = aPattern({ id: "beta", fit: { workloads: { api: 30 } } });
  const cache = aPattern({
    id: "cache",
    fit: {
      workloads: { api: 10 },
      complements: [{ on: "data.readWriteRatio", when: { "data.readWriteRatio": { gte: 5 } }, says: "Reads are served from memory." }],
    },
  });

  it("breaks ties deterministically by id whatever the catalog order", () => {
    const r = someRequirements();
    expect(rank([b, a, cache], allStated(r)).map((e) => e.id)).toEqual(["alpha", "beta", "cache"]);
    expect(rank([cache, a, b], allStated(r)).map((e) => e.id)).toEqual(["alpha", "beta", "cache"]);
  });

  it("adds a complement for a need the primary leaves open", () => {
    const r = someRequirements({ data: { readWriteRatio: 20 } });
    const catalog = [a, b, cache];
    const rec = recommend(catalog, rank(catalog, allStated(r)), allStated(r));
    expect(rec).toMatchObject({ primary: "alpha", complements: ["cache"] });
    expect(rec.because).toEqual([{ id: "cache", on: "data.readWriteRatio", says: "Reads are served from memory." }]);
  });

  it("adds no complement when the need does not arise", () => {
    const r = someRequirements({ data: { readWriteRatio: 1 } });
    const catalog = [a, cache];
    expect(recommend(catalog, rank(catalog, allStated(r)), allStated(r)).complements).toEqual([]);
  });

  it("adds no complement for a need the primary handles or embodies", () => {
    const r = someRequirements({ data: { readWriteRatio: 20 } });
    const handler = aPattern({
      id: "alpha",
      fit: { workloads: { api: 30 }, handles: [{ on: "data.readWriteRatio", when: { "data.readWriteRatio": { gte: 5 } }, says: "Has its own cache." }] },
    });
    expect(recommend([handler, cache], rank([handler, cache], allStated(r)), allStated(r)).complements).toEqual([]);
    const embodier = aPattern({ id: "alpha", kind: "pattern", embodies: ["cache"], fit: { workloads: { api: 30 } } });
    expect(recommend([embodier, cache], rank([embodier, cache], allStated(r)), allStated(r)).complements).toEqual([]);
  });

  it("leaves out a complement the budget cannot carry, and says so", () => {
    const pricey = aPattern({ ...cache, id: "cache", envelope: { ...envelope, cost: { floorMonthlyUsd: 500, terms: [], pricesAsOf: "2026-11" } }, fit: cache.fit });
    const r = someRequirements({ data: { readWriteRatio: 20 }, budgetMonthlyUsd: 100 });
    const rec = recommend([a, pricey], rank([a, pricey], allStated(r)), allStated(r));
    expect(rec.complements).toEqual([]);
    expect(rec.notes[0]).toContain("$500");
  });
});
