// Builds dist/: validates the built-in catalog (failing with every problem listed), writes it as
// JSON, and bundles src/main.ts with every dependency inlined (lazily loaded parts as chunks).
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadCatalog } from "../src/catalog/load.ts";
import { UserError } from "../src/errors.ts";
import { readScaffoldFacts } from "../src/render/scaffold-facts.ts";

const COMPILED_CATALOG = "catalog.json";
const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

let catalog;
try {
  catalog = await loadCatalog();
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(`build: ${error.message}`);
  process.exit(2);
}

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
writeFileSync(`dist/${COMPILED_CATALOG}`, JSON.stringify(catalog));
await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  define: {
    __VERSION__: JSON.stringify(version),
    __COMPILED_CATALOG__: JSON.stringify(COMPILED_CATALOG),
    __SCAFFOLD_FACTS__: JSON.stringify(readScaffoldFacts()),
  },
  // CommonJS dependencies inlined into an ES module still call require()
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  logLevel: "warning",
});
