// Scaffolds, type-checks, synthesizes (cdk-nag on) and tests one or more catalog entries, printing
// what failed. Run `npm run build` first.
// Usage: npm run check-scaffold -- <id> [<id> ...] [--requirements file.yaml]
//   (with --requirements, each app is tuned to that file, as `scaffold <id> --requirements` does)
import { loadCatalog } from "../src/catalog/load.ts";
import { checkScaffold } from "../test/support/scaffold-harness.ts";

const catalog = await loadCatalog();
let failed = false;
const args = process.argv.slice(2);
const at = args.indexOf("--requirements");
const extra = at >= 0 ? ["--requirements", args[at + 1]!] : [];
const ids = args.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
for (const id of ids) {
  const check = await checkScaffold(id, extra);
  const wanted = catalog.find((p) => p.id === id)?.scaffold?.resources ?? [];
  const missing = wanted.filter((t) => !check.resourceTypes.has(t));
  const undocumented = [...new Set(check.acknowledgements.map((a) => a.rule))].filter((rule) => !check.readme.includes(rule));
  console.log(`== ${id} (${check.dir})`);
  for (const [step, result] of Object.entries({ scaffold: check.scaffold, typecheck: check.typecheck, synth: check.synth, tests: check.tests })) {
    console.log(`  ${step}: ${result === undefined ? "not run" : `${result.ok ? "ok" : "FAILED"} (${result.ms} ms)`}`);
    if (result && !result.ok) console.log(result.output.trim().split("\n").slice(-60).map((l) => `    ${l}`).join("\n"));
  }
  console.log(`  resources wanted by the catalog: ${wanted.length}, missing: ${missing.join(", ") || "none"}`);
  console.log(`  acknowledgements: ${check.acknowledgements.length}; rules not named in README: ${undocumented.join(", ") || "none"}`);
  for (const a of check.acknowledgements) console.log(`    ${a.id} at ${a.path}: ${a.reason}`);
  failed ||= !check.tests?.ok || !check.synth?.ok || !check.typecheck?.ok || missing.length > 0 || wanted.length === 0 || undocumented.length > 0;
}
process.exitCode = failed ? 1 : 0;
