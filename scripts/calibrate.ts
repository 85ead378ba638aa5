// The calibration table: for every example, case and calibration file, the primary, its fit and
// margin, and whether the expectation holds. The test suite asserts the same expectations
// (test/examples.test.ts, test/calibration.test.ts); this prints them for people.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { loadCatalog } from "../src/catalog/load.ts";
import { assessDraft, draftRequirements } from "../src/requirements/resolve.ts";
import { adviseOn } from "../src/scoring/advice.ts";
import { EXPECTATIONS } from "../test/example-expectations.ts";

type Calibration = { file: string; built: string; covered: boolean; primary?: string[]; fit?: string[] };

const catalog = await loadCatalog();
const calibration = parse(readFileSync("test/fixtures/calibration/expectations.yaml", "utf8")) as Calibration[];
const rows: string[][] = [["case", "primary", "fit", "share", "margin", "runner-up", "complements", "expected", "ok"]];
let failures = 0;

function row(file: string, flags: Record<string, string>, expected: string, ok: (primary: string, complements: string[], fit: string) => boolean) {
  const advice = adviseOn(catalog, assessDraft(draftRequirements(file, flags)));
  const rec = advice.recommendation;
  const good = ok(rec.primary, rec.complements, rec.fit);
  if (!good) failures++;
  const name = file.replace(/^.*\//, "").replace(/\.yaml$/, "") + (Object.keys(flags).length ? ` ${JSON.stringify(flags)}` : "");
  rows.push([name, rec.primary, rec.fit, rec.fitDetail.share.toFixed(2), String(rec.fitDetail.margin), rec.fitDetail.runnerUp ?? "-", rec.complements.join(",") || "-", expected, good ? "ok" : "FAIL"]);
}

for (const e of EXPECTATIONS) {
  row(e.file, e.flags ?? {}, e.primary ?? e.primaryOrComplement ?? "-", (primary, complements, fit) =>
    (e.primary === undefined || primary === e.primary) &&
    (e.fit === undefined || (e.fit as string[]).includes(fit)) &&
    (e.primaryOrComplement === undefined || [primary, ...complements].includes(e.primaryOrComplement)) &&
    (e.never ?? []).every((id) => ![primary, ...complements].includes(id)) &&
    (e.complements ?? []).every((id) => complements.includes(id)));
}
for (const c of calibration) {
  const file = `test/fixtures/calibration/${c.file}`;
  row(file, {}, c.covered ? c.primary!.join("|") : `fit ${c.fit!.join("|")}`, (primary, _complements, fit) =>
    c.covered ? c.primary!.includes(primary) && fit !== "none" : c.fit!.includes(fit));
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
console.log(`${failures} failing of ${rows.length - 1}`);
