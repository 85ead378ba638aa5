import { patternSchema, type Pattern, type PatternInput } from "../src/catalog/schema.ts";
import { requirementsSchema, type Requirements, type RequirementsInput } from "../src/requirements/schema.ts";
import type { Assessed } from "../src/requirements/basis.ts";
import { FIELDS } from "../src/requirements/fields.ts";

/** Valid requirements with defaults, overridden where a test cares. */
export function someRequirements(overrides: Partial<RequirementsInput> = {}): Requirements {
  return requirementsSchema.parse({ workload: ["api"], ...overrides });
}

/** A small valid catalog entry, overridden where a test cares (validated like a YAML file). */
export function aPattern(overrides: Partial<PatternInput> = {}): Pattern {
  const base: PatternInput = {
    id: "test-entry",
    title: "Test entry",
    kind: "generic",
    summary: "A made-up entry for tests.",
    problem: "Tests need a pattern whose every number they control.",
    services: [{ id: "fn", name: "Function", role: "Runs code." }],
    diagram: {
      nodes: [
        { id: "users", label: "Users" },
        { id: "fn", service: "fn" },
      ],
      edges: [{ from: "users", to: "fn" }],
    },
    whyItWorks: ["It is simple."],
    pros: ["Simple."],
    cons: ["Made up."],
    envelope: {
      availability: 99.9,
      rpo: "1h",
      rto: "1h",
      compliance: [],
      cost: { floorMonthlyUsd: 10, terms: [], pricesAsOf: "2026-11" },
    },
    fit: { workloads: { api: 30 } },
  };
  return patternSchema.parse({ ...base, ...overrides });
}

/** Requirements as if the user had stated every field: the world most unit tests of scoring reason in. */
export function allStated(requirements: Requirements): Assessed {
  const stated = new Set(FIELDS.map((f) => f.path));
  return { requirements, basis: { stated, derived: new Map(), statedData: requirements } };
}
