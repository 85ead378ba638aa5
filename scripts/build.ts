// Builds dist/: validates the built-in catalog (failing with every problem listed), writes it as
// JSON, writes the icon table with only the icons the catalog uses, and bundles src/main.ts with
// every dependency inlined (lazily loaded parts as chunks).
import { build, transformSync, type Plugin } from "esbuild";
import Handlebars from "handlebars";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { brotliCompressSync, constants as zlibConstants } from "node:zlib";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalog } from "../src/catalog/load.ts";
import { ICON_TABLE_FILE, type CompiledIcons } from "../src/catalog/icon-set.ts";
import { readIconTable } from "../src/catalog/icon-table.ts";
import { iconFromPackage, NOT_IN_PACKAGE } from "../src/catalog/load-icons.ts";
import { builtinPatternsDir } from "../src/catalog/load.ts";
import { GROUP_KINDS } from "../src/catalog/values.ts";
import type { Catalog } from "../src/catalog/schema.ts";
import { formatProblem, UserError, type Problem } from "../src/errors.ts";
import { COMPILE_OPTIONS } from "../src/render/handlebars.ts";
import { readScaffoldFacts } from "../src/render/scaffold-facts.ts";
import { templateFolderOf } from "../src/render/templates.ts";
import { readAccountLimits } from "../src/verify/account-limits.ts";

const COMPILED_CATALOG = "catalog.json";
/** dist/icons.json: the built-in icon table, with the SVG of each icon the catalog uses (and no other). */
const COMPILED_ICONS = "icons.json";
/** dist/templates/<folder>.cjs.br: each template folder's `.hbs` files, precompiled, brotli-compressed. */
const PRECOMPILED_TEMPLATES = "templates";
const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

let catalog;
let icons;
try {
  catalog = await loadCatalog();
  icons = compileIcons(catalog);
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(`build: ${error.message}`);
  process.exit(2);
}

// Built in a folder of its own, then moved into dist/ file by file (each a rename): a CLI started
// from the old build keeps finding the lazily loaded chunks it names (their names carry a content
// hash), and concurrent builds or test runs never see a half-written dist/. Chunks of older builds
// are removed once they are an hour old.
const out = `dist.build-${process.pid}`;
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
writeFileSync(`${out}/${COMPILED_CATALOG}`, JSON.stringify(catalog));
writeFileSync(`${out}/${COMPILED_ICONS}`, JSON.stringify(icons));
writeFileSync(`${out}/ICONS-NOTICE.txt`, iconsNotice(Object.keys(icons.icons)));
precompileTemplates("templates", join(out, PRECOMPILED_TEMPLATES));
await build({
  entryPoints: ["src/main.ts"],
  outdir: out,
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
    __COMPILED_ICONS__: JSON.stringify(COMPILED_ICONS),
    __PRECOMPILED_TEMPLATES__: JSON.stringify(PRECOMPILED_TEMPLATES),
    __SCAFFOLD_FACTS__: JSON.stringify(readScaffoldFacts()),
    __ACCOUNT_LIMITS__: JSON.stringify(readAccountLimits()),
  },
  // CommonJS dependencies inlined into an ES module still call require()
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  plugins: [esModuleBuildOf("yaml"), onlyEnglishZodLocale(), noMcpElicitationValidator()],
  logLevel: "warning",
});
publish(out, "dist");

/**
 * The built-in icon table for the catalog: every service the catalog names must have an icon and
 * every group kind a look (else the build fails, listing each gap); entries for services no entry
 * uses are left out, and so is every icon no remaining entry names.
 */
function compileIcons(catalog: Catalog): CompiledIcons {
  const file = join(builtinPatternsDir(), ICON_TABLE_FILE);
  const problems: Problem[] = [];
  const table = readIconTable(file, iconFromPackage, problems, NOT_IN_PACKAGE);
  const used = new Set(catalog.flatMap((p) => p.services.map((s) => s.id)));
  for (const id of [...used].sort()) if (table.services[id] === undefined) problems.push({ file, path: ["services"], message: `no icon for service ${id}` });
  for (const kind of GROUP_KINDS) if (table.groups[kind] === undefined) problems.push({ file, path: ["groups"], message: `no look for group kind ${kind}` });
  if (problems.length > 0) throw new UserError([`the icon table has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`, ...problems.map(formatProblem)]);
  const services = Object.fromEntries(Object.entries(table.services).filter(([id]) => used.has(id)));
  const keys = new Set([...Object.values(services).map((s) => s.icon), ...Object.values(table.groups).flatMap((g) => (g?.icon ? [g.icon] : []))]);
  return { services, groups: table.groups, icons: Object.fromEntries(Object.entries(table.icons).filter(([key]) => keys.has(key))) };
}

/** Where the shipped icons come from and under which terms, with the list of them. */
function iconsNotice(keys: readonly string[]): string {
  const manifest = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("aws-icons/package.json"), "utf8")) as { version: string };
  return [
    "The icons in icons.json are AWS Architecture Icons (https://aws.amazon.com/architecture/icons/),",
    `taken unchanged from the npm package aws-icons ${manifest.version} (its code is MIT-licensed; the icons are AWS's).`,
    "© Amazon Web Services, Inc. or its affiliates. AWS makes them available for architecture diagrams,",
    "under the Creative Commons Attribution-NoDerivs 2.0 licence (https://creativecommons.org/licenses/by-nd/2.0/).",
    "AWS and the names of its services are trademarks of Amazon.com, Inc. or its affiliates.",
    "",
    "Icons shipped:",
    ...[...keys].sort().map((k) => `  ${k}.svg`),
    "",
  ].join("\n");
}

/** Moves every file of `from` into `to` by rename, the entry last; drops files of older builds an hour old. */
function publish(from: string, to: string): void {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)).map((f) => join(e.name, f)) : [e.name]));
  const fresh = files(from).sort((a, b) => Number(a === "main.js") - Number(b === "main.js"));
  mkdirSync(to, { recursive: true });
  for (const file of fresh) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    renameSync(join(from, file), join(to, file));
  }
  rmSync(from, { recursive: true, force: true });
  const kept = new Set(fresh);
  const hourAgo = Date.now() - 3_600_000;
  for (const file of files(to)) if (!kept.has(file) && statSync(join(to, file)).mtimeMs < hourAgo) rmSync(join(to, file), { force: true });
}

/**
 * Bundles a package's ES module build where its exports map hands Node the CommonJS one. esbuild
 * inlines a CommonJS package whole and runs every one of its modules at the first import, while
 * ES modules are tree-shaken and hoisted into one scope: for yaml, a 120 KB chunk becomes 103 KB
 * and `advise --format json` runs 6-8% fewer instructions (valgrind, Node 20). yaml's two builds
 * are the same code; the ES one logs warnings with console.warn, which our reader never triggers.
 */
function esModuleBuildOf(name: string): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: `es-module-build-of-${name}`,
    setup(esbuild) {
      esbuild.onResolve({ filter: new RegExp(`^${name}$`) }, () => {
        const manifest = require.resolve(`${name}/package.json`);
        const exports = (JSON.parse(readFileSync(manifest, "utf8")) as { exports?: { ".": { default?: string } } }).exports;
        const entry = exports?.["."].default;
        if (entry === undefined) throw new Error(`${name} no longer has an ES module build under exports["."].default`);
        return { path: join(dirname(manifest), entry) };
      });
    },
  };
}

/**
 * zod's English messages without its 47 other locales. zod exports every locale (`z.locales`) from
 * the namespace the CLI imports, so all of them were bundled: 264 kB of the package, none of it
 * used (zod reports in English by default, and our messages are our own). `z.locales` keeps `en`.
 */
function onlyEnglishZodLocale(): Plugin {
  const require = createRequire(import.meta.url);
  const locales = join(dirname(require.resolve("zod/package.json")), "v4", "locales");
  const english = join(locales, "en.js");
  if (!existsSync(english)) throw new Error(`zod no longer has ${english}`);
  return {
    name: "only-english-zod-locale",
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: `export { default as en } from ${JSON.stringify(english)};`, loader: "js" }));
    },
  };
}

/**
 * The MCP SDK's server builds an ajv JSON Schema validator unless given one; it uses it only to
 * check a client's answer to an elicitation request, which `aws-patterns mcp` never sends, so the
 * server is given a validator that refuses (src/commands/mcp.ts) and ajv is left out of the bundle:
 * 135 kB of the package.
 */
function noMcpElicitationValidator(): Plugin {
  const provider = fileURLToPath(import.meta.resolve("@modelcontextprotocol/sdk/validation/ajv-provider.js"));
  if (!existsSync(provider)) throw new Error(`the MCP SDK no longer has ${provider}`);
  return {
    name: "no-mcp-elicitation-validator",
    setup(esbuild) {
      esbuild.onLoad({ filter: new RegExp(`^${provider.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }, () => ({
        contents: `export class AjvJsonSchemaValidator { constructor() { throw new Error("aws-patterns bundles no ajv: give the MCP server a jsonSchemaValidator"); } }`,
        loader: "js",
      }));
    },
  };
}

/**
 * Precompiles every `.hbs` file below `source` with the options the renderer compiles with, one
 * CommonJS module per template folder (`cdk/serverless.cjs.br`, brotli-compressed: path in the folder -> template spec),
 * so the CLI loads the Handlebars runtime instead of its compiler and reads a folder's templates in
 * one file. Every folder gets a module, if only an empty one.
 */
function precompileTemplates(source: string, out: string): void {
  const folders = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const inTemplates = relative(source, path).split("\\").join("/");
      const folder = templateFolderOf(inTemplates);
      const specs = folders.get(folder) ?? [];
      folders.set(folder, specs);
      if (!entry.name.endsWith(".hbs")) continue;
      const spec = Handlebars.precompile(readFileSync(path, "utf8"), COMPILE_OPTIONS);
      specs.push(`${JSON.stringify(relative(folder, inTemplates))}: ${spec}`);
    }
  };
  walk(source);
  for (const [folder, specs] of folders) {
    // brotli-compressed: the precompiled specs are repetitive JavaScript, 1.4 MB as is and about a
    // tenth of that compressed, which keeps the installed package within its 3 MB; a scaffold
    // decompresses its two or three folders in a millisecond or two (src/render/templates.ts)
    const file = join(out, `${folder}.cjs.br`);
    mkdirSync(dirname(file), { recursive: true });
    const code = `"use strict";\nmodule.exports = {\n${specs.join(",\n")}\n};\n`;
    writeFileSync(file, brotliCompressSync(transformSync(code, { minify: true, format: "cjs", target: "node20" }).code, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}
