import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { assessDraft, draftRequirements } from "../src/requirements/resolve.ts";
import { adviseOn } from "../src/scoring/advice.ts";

/**
 * Real public systems, each written from what its owners published (sources in each file's
 * header), with what they built. Systems the catalog does not cover must never get a confident
 * answer; for those it covers, the advice must match what was built in most cases, and where it
 * does not, it must not claim a strong fit. `npm run calibrate` prints the table.
 */
type Case = { file: string; built: string; covered: boolean; primary?: string[]; fit?: string[] };
const catalog = await loadCatalog();
const cases = parse(readFileSync("test/fixtures/calibration/expectations.yaml", "utf8")) as Case[];
const adviceFor = (c: Case) => adviseOn(catalog, assessDraft(draftRequirements(`test/fixtures/calibration/${c.file}`, {}))).recommendation;

describe("calibration on public systems", () => {
  it("has at least 12 cases, some the catalog does not cover", () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    expect(cases.filter((c) => !c.covered).length).toBeGreaterThanOrEqual(2);
  });

  it.each(cases.filter((c) => !c.covered).map((c) => [c.file, c]))("%s: outside the catalog, the fit says so", (_, c) => {
    const rec = adviceFor(c);
    expect(c.fit).toContain(rec.fit);
    expect(rec.fitDetail.says.length).toBeGreaterThan(20);
  });

  it.each(cases.filter((c) => c.covered).map((c) => [c.file, c]))("%s: right, or not claimed as strong", (_, c) => {
    const rec = adviceFor(c);
    if (!c.primary!.includes(rec.primary)) expect(rec.fit, `${rec.primary} instead of ${c.primary!.join("/")}`).not.toBe("strong");
  });

  it("matches what the owners built for at least three quarters of the covered systems", () => {
    const covered = cases.filter((c) => c.covered);
    const right = covered.filter((c) => c.primary!.includes(adviceFor(c).primary));
    expect(right.length / covered.length).toBeGreaterThanOrEqual(0.75);
  });
});
