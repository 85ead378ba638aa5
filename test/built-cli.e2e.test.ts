import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { loadIcons } from "../src/catalog/load-icons.ts";
import { diagramOf } from "../src/render/diagram.ts";
import { renderPictures } from "../src/render/picture.ts";
import { buildScaffold, settingsFor } from "../src/commands/scaffold.ts";
import { templateFolderOf } from "../src/render/templates.ts";
import { assessDraft, draftRequirements } from "../src/requirements/resolve.ts";
import { adviseOn } from "../src/scoring/advice.ts";
import { runCli } from "./support/run-cli.ts";
import { snapshot } from "./support/tree.ts";
import { runInThisContext } from "node:vm";
import { brotliDecompressSync } from "node:zlib";

/**
 * The built CLI as it is published: templates precompiled at build time, no `.hbs` text and no
 * Handlebars compiler in the package, and the same output as the sources give.
 */
const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
const work = mkdtempSync(join(tmpdir(), "aws-patterns-built-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"));
}

describe("the built CLI", () => {
  it("writes the golden design document (date and version normalized) from its precompiled template", async () => {
    const run = await runCli(["advise", "--requirements", "examples/high-traffic-ecommerce.yaml", "--format", "md", "--no-input"]);
    expect(run.code, run.stderr).toBe(0);
    const doc = run.stdout.replace(/\b\d{4}-\d{2}-\d{2}\b/g, "YYYY-MM-DD").replaceAll(`aws-patterns ${version}`, "aws-patterns 0.0.0-test").replace(`generator: ${version}\n`, "generator: 0.0.0-test\n");
    expect(doc).toBe(readFileSync("test/golden/high-traffic-ecommerce.md", "utf8"));
  });

  it("has every .hbs template precompiled, one module per template folder, and no Handlebars compiler", () => {
    const expected = new Map<string, string[]>();
    for (const path of filesBelow("templates").filter((p) => p.endsWith(".hbs"))) {
      const folder = templateFolderOf(path);
      expected.set(folder, [...(expected.get(folder) ?? []), relative(folder, path)]);
    }
    const text = (file: string) => (file.endsWith(".br") ? brotliDecompressSync(readFileSync(join("dist", file))).toString("utf8") : readFileSync(join("dist", file), "utf8"));
    for (const [folder, paths] of expected) {
      // a brotli-compressed CommonJS module: run as require would
      const module = { exports: {} as Record<string, { main?: unknown }> };
      (runInThisContext(`(function (module, exports) {${text(`templates/${folder}.cjs.br`)}\n})`) as (m: typeof module, e: object) => void)(module, module.exports);
      expect(Object.keys(module.exports).sort(), folder).toEqual(paths.sort());
      for (const spec of Object.values(module.exports)) expect(typeof spec.main).toBe("function");
    }
    // the compiler's parser reports "Parse error on line N"; the runtime has no parser
    for (const file of filesBelow("dist").filter((f) => f.endsWith(".js") || f.endsWith(".cjs.br")))
      expect(text(file), file).not.toContain("Parse error on line");
  });

  it("installs from its package without .hbs files and scaffolds what the sources render, file for file", async () => {
    const pack = join(work, "pack");
    const install = join(work, "install");
    mkdirSync(pack);
    mkdirSync(install);
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", pack], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as { filename: string; files: { path: string }[] }[];
    expect(packed[0]!.files.filter((f) => f.path.endsWith(".hbs"))).toEqual([]);
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", join(pack, packed[0]!.filename)], { cwd: install, stdio: "ignore" });
    const bin = join(install, "node_modules", "aws-patterns", "bin", "aws-patterns.js");
    // a composed app (serverless with the cache add-on's files and dev dependencies) under a requirements file
    const requirementsFile = "test/fixtures/scaffold-sets/read-heavy-serverless.yaml";
    const run = await runCli(["advise", "--requirements", requirementsFile, "--no-input", "--format", "json", "--scaffold", join(work, "app")], { bin });
    expect(run.code, run.stderr).toBe(0);
    // the same app from the sources: template text compiled by the Handlebars compiler
    const assessed = assessDraft(draftRequirements(requirementsFile, {}));
    const { requirements } = assessed;
    const catalog = await loadCatalog();
    const { primary, because } = adviseOn(catalog, assessed).recommendation;
    const entry = catalog.find((p) => p.id === primary)!;
    const { files } = buildScaffold(catalog, entry, { name: requirements.name, generator: version, derived: settingsFor(entry, requirements), complements: because });
    expect(snapshot(join(work, "app"))).toEqual(Object.fromEntries(files));
    expect(files.size).toBeGreaterThan(10);
    // the installed package draws pictures from the icons it ships, exactly as the sources draw them
    const picture = await runCli(["show", "multi-region-dr", "--format", "svg"], { bin });
    expect(picture.code, picture.stderr).toBe(0);
    const pattern = catalog.find((p) => p.id === "multi-region-dr")!;
    expect(picture.stdout).toBe(renderPictures(diagramOf(pattern), await loadIcons(), pattern.title, ["svg"]).get("svg"));
    expect(packed[0]!.files.map((f) => f.path)).toEqual(expect.arrayContaining(["dist/icons.json", "dist/ICONS-NOTICE.txt"]));
  }, 120_000);
});
