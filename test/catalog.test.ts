import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { builtinPatternsDir, loadCatalog } from "../src/catalog/load.ts";
import { UserError } from "../src/errors.ts";
import { COMPLIANCE_REGIMES, WORKLOADS } from "../src/requirements/values.ts";
import { CONCRETE_IDS } from "./example-expectations.ts";

const GENERIC_IDS = ["microservices", "serverless", "event-driven", "batch-processing", "data-lake", "cqrs-event-sourcing", "cache-aside"];
const catalog = await loadCatalog();

describe("the built-in catalog", () => {
  it(`holds exactly the ${CONCRETE_IDS.length + GENERIC_IDS.length} ids of the contract, each of its kind`, () => {
    expect(catalog.map((p) => p.id).sort()).toEqual([...CONCRETE_IDS, ...GENERIC_IDS].sort());
    for (const p of catalog) expect(p.kind, p.id).toBe((CONCRETE_IDS as readonly string[]).includes(p.id) ? "pattern" : "generic");
  });

  it("takes a position on every compliance regime: offered as designed, offered with a condition, or not offered and why", () => {
    for (const p of catalog)
      for (const regime of COMPLIANCE_REGIMES) {
        const listed = p.envelope.compliance.includes(regime);
        const note = p.envelope.complianceNotes[regime];
        expect(listed || note !== undefined, `${p.id}: ${regime} is neither offered nor explained`).toBe(true);
        if (note !== undefined) expect(note, `${p.id}: ${regime}`).toMatch(/^[A-Z].{40,}\.$/s);
      }
  });

  it("gives every entry the knowledge the design document needs", () => {
    for (const p of catalog) {
      expect(p.pillars, `${p.id} pillars`).toBeDefined();
      expect(p.risks.length, `${p.id} risks`).toBeGreaterThanOrEqual(2);
      expect(p.pros.length, `${p.id} pros`).toBeGreaterThanOrEqual(2);
      expect(p.cons.length, `${p.id} cons`).toBeGreaterThanOrEqual(2);
      expect(p.whyItWorks.length, `${p.id} whyItWorks`).toBeGreaterThanOrEqual(2);
      expect(p.fit.rules.length, `${p.id} rules`).toBeGreaterThanOrEqual(4);
      expect(Object.keys(p.fit.workloads).length, `${p.id} workloads`).toBeGreaterThanOrEqual(9);
    }
  });

  it("has concrete patterns name the generic styles they embody", () => {
    for (const p of catalog.filter((e) => e.kind === "pattern")) {
      expect(p.embodies.length, p.id).toBeGreaterThan(0);
      for (const id of p.embodies) expect(GENERIC_IDS, `${p.id} embodies ${id}`).toContain(id);
    }
  });

  it("offers the complements the product promises", () => {
    const offers = (id: string, path: string) => catalog.find((p) => p.id === id)!.fit.complements.some((n) => Object.keys(n.when).includes(path));
    expect(offers("cache-aside", "data.readWriteRatio")).toBe(true);
    expect(offers("multi-region-dr", "rpo")).toBe(true);
    expect(offers("hipaa-healthcare", "compliance")).toBe(true);
    expect(offers("global-content-delivery", "audience")).toBe(true);
  });

  it("is written in its own words: no eight-word run of a seed document appears in it", () => {
    const seeds = readdirSync("../shared/seeds").map((f) => readFileSync(join("../shared/seeds", f), "utf8"));
    const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9%$]+/g, " ").trim().split(" ");
    const own = ` ${words(readdirSync(builtinPatternsDir()).map((f) => readFileSync(join(builtinPatternsDir(), f), "utf8")).join(" ")).join(" ")} `;
    const copied: string[] = [];
    for (const seed of seeds) {
      const w = words(seed);
      for (let i = 0; i + 8 <= w.length; i++) {
        const run = w.slice(i, i + 8).join(" ");
        if (own.includes(` ${run} `)) copied.push(run);
      }
    }
    expect(copied).toEqual([]);
  });
});

describe("loading a user's folder", () => {
  const serverless = () => readFileSync(join(builtinPatternsDir(), "serverless.yaml"), "utf8");

  it("overrides a built-in entry by id and adds new ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patterns-"));
    writeFileSync(join(dir, "serverless.yaml"), serverless().replace(/^title: .*$/m, "title: Our serverless"));
    writeFileSync(join(dir, "our-lambda-stack.yaml"), serverless().replace(/^id: serverless$/m, "id: our-lambda-stack"));
    const merged = await loadCatalog([dir]);
    expect(merged).toHaveLength(catalog.length + 1);
    expect(merged.find((p) => p.id === "serverless")!.title).toBe("Our serverless");
  });

  it("reports every problem in every file at once, as file › path (line): problem", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patterns-"));
    writeFileSync(join(dir, "a.yaml"), serverless().replace(/^id: serverless$/m, "id: a").replace("availability: 99.95", "availability: 101").replace(/^summary:/m, "sumary:"));
    writeFileSync(join(dir, "b.yaml"), stringify({ id: "b", kind: "pattern" }));
    writeFileSync(join(dir, "c.yaml"), "id: [unclosed\n");
    let message = "";
    try {
      await loadCatalog([dir]);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^the pattern catalog has \d+ problems:/);
    expect(message).toContain(`${join(dir, "a.yaml")} › envelope.availability (line `);
    expect(message).toMatch(/a\.yaml › sumary \(line \d+\): unknown key; did you mean "summary"\?/);
    expect(message).toMatch(/b\.yaml › title: is required/);
    expect(message).toMatch(/c\.yaml \(line 2\): not valid YAML or JSON: Flow sequence/);
  });
});

describe("the source code", () => {
  it("holds no catalog id: pattern knowledge lives in YAML", () => {
    // data-lake, static-site and ml-inference are also workload values
    const ids = catalog.map((p) => p.id).filter((id) => !(WORKLOADS as readonly string[]).includes(id));
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else for (const id of ids) if (new RegExp(`["'\`]${id}["'\`]`).test(readFileSync(path, "utf8"))) hits.push(`${path}: ${id}`);
      }
    };
    walk("src");
    expect(hits).toEqual([]);
  });
});
