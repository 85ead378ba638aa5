// Prints, for every example, the top of the ranking and whether the expectation holds.
// Used while tuning the catalog's weights; the test suite asserts the same expectations.
import { loadCatalog } from "../src/catalog/load.ts";
import { draftRequirements, finishRequirements } from "../src/requirements/resolve.ts";
import { rank } from "../src/scoring/rank.ts";
import { recommend } from "../src/scoring/recommend.ts";
import { EXPECTATIONS } from "../test/example-expectations.ts";

const catalog = await loadCatalog();
let failures = 0;
for (const e of EXPECTATIONS) {
  const requirements = finishRequirements(draftRequirements(e.file, e.flags ?? {}));
  const ranking = rank(catalog, requirements);
  const rec = recommend(catalog, ranking, requirements);
  const chosen = [rec.primary, ...rec.complements];
  const ok =
    (e.primary === undefined || rec.primary === e.primary) &&
    (e.primaryOrComplement === undefined || chosen.includes(e.primaryOrComplement)) &&
    (e.never ?? []).every((id) => !chosen.includes(id)) &&
    (e.complements ?? []).every((id) => rec.complements.includes(id));
  if (!ok) failures++;
  console.log(`${ok ? "ok  " : "FAIL"} ${e.file} ${JSON.stringify(e.flags ?? {})}  want ${e.primary ?? e.primaryOrComplement ?? "-"}${e.never ? ` never ${e.never.join(",")}` : ""}`);
  console.log(`     ${ranking.slice(0, 5).map((r) => `${r.id}:${r.score}${r.unmet.length ? `(${r.unmet.map((u) => u.on).join("/")})` : ""}`).join("  ")}`);
  console.log(`     complements: ${rec.complements.join(", ") || "-"}`);
}
console.log(`${failures} failing`);
