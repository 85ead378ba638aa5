// Loads the catalog (and any extra folders given) and prints every problem, or a one-line summary.
import { loadCatalog } from "../src/catalog/load.ts";
import { UserError } from "../src/errors.ts";

try {
  const catalog = await loadCatalog(process.argv.slice(2));
  console.log(`catalog OK: ${catalog.length} entries (${catalog.map((p) => p.id).join(", ")})`);
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
