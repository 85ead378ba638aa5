import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { buildDesignDoc, renderDesignDoc } from "../src/render/design-doc.ts";
import { readTemplateFolder, templatesDir } from "../src/render/templates.ts";
import { assessDraft, draftRequirements, type FlagValues } from "../src/requirements/resolve.ts";
import { adviseOn } from "../src/scoring/advice.ts";
import { nextCommands } from "../src/requirements/next-steps.ts";
import { EXPECTATIONS } from "./example-expectations.ts";

const catalog = await loadCatalog();
const templates = readTemplateFolder(join(templatesDir(), "design-doc"));

function documentFor(file: string, flags: FlagValues = {}, date = "2026-01-02", picture?: string): string {
  const advice = adviseOn(catalog, assessDraft(draftRequirements(file, flags)));
  // the next steps `advise -r FILE` prints: the file alone reproduces the requirements when no flag is laid over it
  const next = nextCommands({ ...(Object.keys(flags).length === 0 ? { file } : {}), stated: advice.assessed.basis.statedData }, advice.requirements.name);
  return renderDesignDoc(buildDesignDoc(advice, catalog, { date, generator: "0.0.0-test", next, ...(picture ? { picture } : {}) }), templates);
}

const SECTIONS = [
  /^---\nstatus: proposed\ndate: \d{4}-\d{2}-\d{2}\ndecision-makers: \[\]/,
  /^# Use .+ for [a-z0-9-]+$/m,
  /^## Context and Problem Statement$/m,
  /^## Decision Drivers$/m,
  /^## Considered Options$/m,
  /^## Decision Outcome$/m,
  /^Chosen option: \*\*.+\*\* \(`[a-z-]+`, score \d+\/100, fit \*\*(strong|fair|weak|none)\*\*\), because:$/m,
  /^### Consequences$/m,
  /^- Good, because /m,
  /^- Bad, because /m,
  /^\| Requirement \| Target \| Design achieves \| Verdict \| Reason \|$/m,
  /^```mermaid\nflowchart (LR|TB)\n/m,
  /^```text\n.+──.*►/m,
  /^### Components$/m,
  /^## Well-Architected Notes$/m,
  /^- \*\*Reliability\*\*: /m,
  /^## Risks and Mitigations$/m,
  /^## Why Not .+$/m,
  /^## Cost$/m,
  /^Estimated monthly cost at the stated scale: \*\*\$[\d,]+\*\*, in a band from \$[\d,]+ to\n\$[\d,]+/m,
  /AWS list prices in us-east-1 as of \d{4}-\d{2}/,
  /^## Next Steps$/m,
  /^ {3}aws-patterns advise (-r \S+|.*--save requirements\.yaml.*)/m,
  /^ {3}aws-patterns advise -r \S+ --no-input --scaffold [a-z0-9-]+$/m,
  /^aws-patterns:\n {2}schemaVersion: 1\n/m,
  /^### What would change this decision$/m,
];

describe("the design document", () => {
  it.each([...new Set(EXPECTATIONS.map((e) => e.file))].map((f) => [f]))("%s has every section", (file) => {
    const doc = documentFor(file);
    for (const section of SECTIONS) expect(doc, String(section)).toMatch(section);
    expect(doc).not.toMatch(/undefined|\[object Object\]|NaN/);
  });

  it("compares the cost band with the budget and names unmet constraints", () => {
    const doc = documentFor("examples/cases/internal-tool.yaml", { rpo: "5m", budget: "100" });
    expect(doc).toMatch(/Against the budget of \$100 a month: /);
    const tight = documentFor("examples/high-traffic-ecommerce.yaml", { budget: "1000" });
    expect(tight).toMatch(/Even the bottom of the band exceeds the budget/);
    expect(tight).toMatch(/\| Monthly budget \| \$1,000 a month \| about \$[\d,]+ a month \| \*\*unmet\*\* \|/);
  });

  it("marks a constraint the primary misses but a complement covers", () => {
    const doc = documentFor("examples/high-traffic-ecommerce.yaml", { rto: "15m", budget: "100000" });
    expect(doc).toMatch(/\| RTO \| 15 min \| 1 h at best \| met with complement \| .*Multi-Region Disaster Recovery covers it\. \|/);
  });
});

describe("golden documents (date normalized); read them as a reviewer before accepting a change", () => {
  // the first as printed to stdout (no picture); the others as `--out <name>.md` writes them, showing <name>.svg
  it.each([
    ["examples/high-traffic-ecommerce.yaml", "high-traffic-ecommerce.md", undefined],
    ["examples/cases/audit-ledger.yaml", "audit-ledger.md", "audit-ledger.svg"],
    ["examples/cases/clinic-portal.yaml", "clinic-portal.md", "clinic portal (v2).svg"],
  ])("%s", (file, golden, picture) => {
    const doc = documentFor(file, {}, new Date().toISOString().slice(0, 10), picture).replace(/\b\d{4}-\d{2}-\d{2}\b/g, "YYYY-MM-DD");
    const path = join("test/golden", golden);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, doc);
    expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(doc).toBe(readFileSync(path, "utf8"));
  });
});
