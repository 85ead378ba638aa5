import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { draftRequirements, finishRequirements } from "../src/requirements/resolve.ts";
import { rank } from "../src/scoring/rank.ts";
import { recommend } from "../src/scoring/recommend.ts";
import { EXPECTATIONS } from "./example-expectations.ts";

const catalog = await loadCatalog();

describe("the examples rank as their problem statements call for", () => {
  it.each(EXPECTATIONS.map((e) => [`${e.file} ${JSON.stringify(e.flags ?? {})}`, e] as const))("%s", (_, e) => {
    const requirements = finishRequirements(draftRequirements(e.file, e.flags ?? {}));
    const ranking = rank(catalog, requirements);
    const rec = recommend(catalog, ranking, requirements);
    const chosen = [rec.primary, ...rec.complements];
    if (e.primary) expect(rec.primary).toBe(e.primary);
    if (e.primaryOrComplement) expect(chosen).toContain(e.primaryOrComplement);
    for (const id of e.complements ?? []) expect(rec.complements).toContain(id);
    for (const id of e.never ?? []) expect(chosen).not.toContain(id);
  });

  it("does not over-engineer a $100 internal tool: heavyweight platforms rank low and name the budget", () => {
    const requirements = finishRequirements(draftRequirements("examples/cases/internal-tool.yaml", {}));
    const ranking = rank(catalog, requirements);
    for (const id of ["multi-region-dr", "high-traffic-ecommerce", "microservices-api-gateway", "microservices"]) {
      const entry = ranking.find((e) => e.id === id)!;
      expect(ranking.indexOf(entry), id).toBeGreaterThan(3);
      expect(entry.unmet.map((u) => u.on), id).toContain("budgetMonthlyUsd");
    }
  });
});
