import { describe, expect, it } from "vitest";
import { UserError } from "../src/errors.ts";
import { draftRequirements, finishRequirements, type FlagValues } from "../src/requirements/resolve.ts";

const fixture = (name: string) => `test/fixtures/requirements/${name}`;
const resolve = (file: string | undefined, flags: FlagValues = {}) => finishRequirements(draftRequirements(file, flags));
function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("requirements", () => {
  it("fills every documented default when only the workload is given", () => {
    const r = resolve(undefined, { workload: "api" });
    expect(r).toMatchObject({
      name: "my-app",
      workload: ["api"],
      traffic: { peakConcurrentUsers: 100, requestsPerSecond: 10, eventsPerSecond: 0, shape: "steady" },
      latencyMs: 1000,
      availability: 99.9,
      rpo: "1d",
      rto: "1d",
      audience: "regional",
      compliance: [],
      budgetMonthlyUsd: null,
      data: { sources: 1, dailyVolumeGb: 1, freshness: "hours", readWriteRatio: 1, auditHistory: false },
      team: { size: 3, deploysPerDay: 1, opsCapacity: "medium" },
      batch: { peakVcpus: 0, interruptible: false },
    });
  });

  it("reads JSON, a UTF-8 byte-order mark and CRLF line endings", () => {
    expect(resolve(fixture("valid.json"))).toMatchObject({ workload: ["web-app"], budgetMonthlyUsd: 500 });
    expect(resolve(fixture("bom-crlf.yaml"))).toMatchObject({ name: "bom-app", workload: ["api"], rpo: "5m" });
  });

  it("lets flags override the file", () => {
    const r = resolve("examples/high-traffic-ecommerce.yaml", { concurrentUsers: "500", budget: "none", workload: "api", auditHistory: true });
    expect(r.traffic.peakConcurrentUsers).toBe(500);
    expect(r.traffic.requestsPerSecond).toBe(25000);
    expect(r.budgetMonthlyUsd).toBeNull();
    expect(r.workload).toEqual(["api"]);
    expect(r.data.auditHistory).toBe(true);
  });

  it("names an unknown key with its line and the nearest known key", () => {
    expect(problemOf(() => resolve(fixture("typo-key.yaml")))).toBe(
      `${fixture("typo-key.yaml")} › trafic (line 3): unknown key; did you mean "traffic"?`,
    );
  });

  it("lists every problem of a file at once, each with its line", () => {
    const lines = problemOf(() => resolve(fixture("several-problems.yaml"))).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.join("\n")).toMatch(/› availability \(line 2\): .*90.*100.*found 120/);
    expect(lines.join("\n")).toMatch(/› rpo \(line 3\): expected 0 or a number with s, m, h or d.*found "5 fortnights"/);
    expect(lines.join("\n")).toMatch(/› traffic\.requestsPerSecond \(line 5\): requestsPerSecond cannot be negative; found -3/);
  });

  it("suggests the nearest value for an unknown enum value", () => {
    expect(problemOf(() => resolve(fixture("unknown-workload.yaml")))).toMatch(/workload\[0\] \(line 1\): expected one of web-app, .*; found "mobile-app"/);
  });

  it("refuses malformed YAML, duplicate keys and a top-level list, naming the line", () => {
    expect(problemOf(() => resolve(fixture("malformed.yaml")))).toMatch(/malformed\.yaml \(line \d\): not valid YAML or JSON/);
    expect(problemOf(() => resolve(fixture("duplicate-key.yaml")))).toMatch(/duplicate-key\.yaml › workload \(line 2\): duplicate key; it is already given on line 1/);
    expect(problemOf(() => resolve(fixture("top-level-list.yaml")))).toMatch(/the top level is a list; expected a mapping/);
  });

  it("names a missing file and a folder given as the file", () => {
    expect(problemOf(() => resolve("no/such/file.yaml"))).toBe("no/such/file.yaml: no such file");
    expect(problemOf(() => resolve("test"))).toBe("test: is a directory; expected a YAML or JSON file");
  });

  it("blames the flag, not the file, for a bad flag value", () => {
    expect(problemOf(() => resolve(undefined, { workload: "api", concurrentUsers: "lots" }))).toBe('--concurrent-users: expected a whole number (1000, 1,000 or 1k), found "lots"');
    expect(problemOf(() => resolve(undefined, { workload: "api", rpo: "soon" }))).toMatch(/^--rpo: expected 0 or a number with s, m, h or d/);
    expect(problemOf(() => resolve(undefined, { workload: "api,desktop" }))).toMatch(/^--workload: expected one of .*found "desktop"/);
  });

  it("explains how to pass a workload when none is given", () => {
    expect(problemOf(() => resolve(undefined, {}))).toMatch(/no workload was given; pass --workload/);
  });

  it("accepts only kebab-case names", () => {
    expect(problemOf(() => resolve(undefined, { workload: "api", name: 'x"; rm -rf /' }))).toMatch(/^--name: expected kebab-case/);
  });
});

describe("help that teaches", () => {
  it("states every field's default as the schema applies it", async () => {
    const { DEFAULT_TEXT, FIELDS } = await import("../src/requirements/fields.ts");
    const { schemaAt } = await import("../src/data-file.ts");
    const { requirementsSchema } = await import("../src/requirements/schema.ts");
    for (const f of FIELDS) {
      const parsed = schemaAt(requirementsSchema, f.path.split("."))!.safeParse(undefined);
      const value = parsed.success ? parsed.data : undefined;
      const text = value === undefined ? "none (required)" : value === null ? "none" : Array.isArray(value) ? (value.length === 0 ? "none" : value.join(", ")) : typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
      expect(DEFAULT_TEXT[f.path], f.path).toBe(text);
    }
  });
});
