import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../src/errors.ts";
import { writeFiles } from "../src/output/write-files.ts";
import { renderScaffold } from "../src/render/scaffold.ts";
import type { ScaffoldFacts } from "../src/render/scaffold-facts.ts";
import { deriveSettings } from "../src/render/scaffold-settings.ts";
import { aPattern, someRequirements } from "./builders.ts";

const facts: ScaffoldFacts = {
  versions: { "aws-cdk-lib": "2.0.0", constructs: "10.0.0", "cdk-nag": "3.0.0", "aws-cdk": "2.1.0", typescript: "7.0.0", tsx: "4.0.0", vitest: "4.0.0", "@types/node": "20.0.0" },
  featureFlags: { "@aws-cdk/core:flag": true },
};
const base = new Map([
  ["package.json.hbs", '{ "name": "{{name}}", "cdk": "{{lookup versions "aws-cdk"}}" }'],
  ["gitignore", "node_modules/\n"],
  ["README.md.hbs", "# {{name}}\n{{{parts.readme}}}\npacks: {{#each nagPacks}}{{this}} {{/each}}"],
  ["lib/app.ts.hbs", "new {{stackClass}}();"],
]);
const own = new Map([
  ["lib/__name__-stack.ts.hbs", "export class {{stackClass}} {} // {{pattern.title}}"],
  ["lambda/fn/index.mjs", "export const handler = async () => `{{not a template}}`;"],
  ["_readme.md.hbs", "About {{pascalName}}."],
]);
const render = (overrides = {}) =>
  renderScaffold(aPattern({ title: "Test entry" }), base, own, facts, { name: "acme-shop", generator: "0.0.0", ...overrides });

describe("renderScaffold", () => {
  it("renders .hbs files, copies others, names files after the app and renames gitignore", () => {
    const files = render();
    expect([...files.keys()]).toEqual([".gitignore", "README.md", "lambda/fn/index.mjs", "lib/acme-shop-stack.ts", "lib/app.ts", "package.json"]);
    expect(files.get("lib/acme-shop-stack.ts")).toBe("export class AcmeShopStack {} // Test entry");
    expect(files.get("lib/app.ts")).toBe("new AcmeShopStack();");
    expect(files.get("package.json")).toBe('{ "name": "acme-shop", "cdk": "2.1.0" }');
    expect(files.get("lambda/fn/index.mjs")).toContain("{{not a template}}");
  });

  it("embeds the entry's parts in the base templates without writing them", () => {
    const files = render();
    expect(files.get("README.md")).toContain("About AcmeShop.");
    expect(files.has("_readme.md")).toBe(false);
  });

  it("always runs AwsSolutionsChecks and adds the packs asked for, once each", () => {
    expect(render().get("README.md")).toMatch(/packs: AwsSolutionsChecks $/);
    expect(render({ extraNagPacks: ["HIPAASecurityChecks", "AwsSolutionsChecks"] }).get("README.md")).toMatch(/packs: AwsSolutionsChecks HIPAASecurityChecks $/);
  });

  it("adds the shared files an entry lists in _include, and refuses an unknown one", () => {
    const shared = new Map([["lambda/common/index.mjs", "export const shared = 1;"], ["lambda/other/index.mjs", "unused"]]);
    const withInclude = new Map([...own, ["_include", "# shared files\nlambda/common/index.mjs\n"]]);
    const files = renderScaffold(aPattern(), base, withInclude, facts, { name: "acme-shop", generator: "0" }, shared);
    expect(files.get("lambda/common/index.mjs")).toBe("export const shared = 1;");
    expect(files.has("lambda/other/index.mjs")).toBe(false);
    expect(files.has("_include")).toBe(false);
    const bad = new Map([...own, ["_include", "lambda/nope/index.mjs"]]);
    expect(() => renderScaffold(aPattern(), base, bad, facts, { name: "a", generator: "0" }, shared)).toThrow(/_include names files not in templates\/cdk\/_shared: lambda\/nope\/index\.mjs/);
  });

  it("writes the requirement-derived settings with their reasons, and lists them in the README", () => {
    const derived = deriveSettings(someRequirements({ availability: 99.99, rpo: "5m", compliance: ["soc2"] }));
    const withSettings = new Map([
      ...base,
      ["lib/settings.ts.hbs", "{{#each settings}}{{#if comment}}// {{oneLine comment}}\n{{/if}}{{key}}: {{{value}}},\n{{/each}}"],
      ["README.md.hbs", "{{#each requirements}}| {{setting}} | {{cell value}} | {{cell because}} |\n{{/each}}{{#each notes}}> {{oneLine this}}\n{{/each}}packs: {{#each nagPacks}}{{this}} {{/each}}"],
    ]);
    const files = renderScaffold(aPattern(), withSettings, own, facts, { name: "acme-shop", generator: "0", derived });
    const settings = files.get("lib/settings.ts")!;
    expect(settings).toContain("multiAz: true,");
    expect(settings).toContain('replication: {"primaryRegion":"us-east-1","replicaRegion":"us-west-2"},');
    expect(settings).toMatch(/\/\/ availability 99\.99% is at least 99\.95%.*\nmultiAz: true/);
    expect(settings).toContain('compliance: ["soc2"],');
    const readme = files.get("README.md")!;
    expect(readme).toContain("| replication | us-east-1 -> us-west-2 |");
    expect(readme).toMatch(/> SOC 2 has no cdk-nag rule pack/);
    expect(readme).toMatch(/packs: AwsSolutionsChecks NIST80053R5Checks $/);
  });

  it("composes a complement's _addon files without the prefix, and refuses two templates writing one path", () => {
    const cache = aPattern({ id: "cache-thing", scaffold: { resources: ["AWS::ElastiCache::ReplicationGroup"], addon: { construct: "Cache", module: "addons/cache", resources: ["AWS::ElastiCache::ReplicationGroup"], says: "Adds a cache." } } });
    const cacheFiles = new Map([["_addon/lib/addons/cache.ts", "export class Cache {}"], ["lib/__name__-stack.ts.hbs", "not used when composed"]]);
    const withApp = new Map([...base, ["lib/app.ts.hbs", "{{#each addons}}import { {{construct}} } from \"./{{module}}\"; // {{oneLine says}} {{oneLine because}}\n{{/each}}"]]);
    const files = renderScaffold(aPattern(), withApp, own, facts, { name: "acme-shop", generator: "0", addons: [{ pattern: cache, files: cacheFiles, because: "Reads\nrepeat. */ x" }] });
    expect(files.get("lib/addons/cache.ts")).toBe("export class Cache {}");
    expect(files.get("lib/app.ts")).toBe('import { Cache } from "./addons/cache"; // Adds a cache. Reads repeat. * / x\n');
    expect(files.get("lib/acme-shop-stack.ts")).toContain("export class AcmeShopStack");
    const clash = new Map([["_addon/lambda/fn/index.mjs", "other"]]);
    expect(() => renderScaffold(aPattern(), base, own, facts, { name: "a", generator: "0", addons: [{ pattern: cache, files: clash, because: "" }] })).toThrow(/cache-thing and test-entry both write lambda\/fn\/index\.mjs/);
  });

  it("adds the dev dependencies a complement's construct brings to the app's own, each package once", () => {
    const cache = aPattern({ id: "cache-thing", scaffold: { resources: ["AWS::ElastiCache::ReplicationGroup"], addon: { construct: "Cache", module: "addons/cache", resources: ["AWS::ElastiCache::ReplicationGroup"], says: "Adds a cache." } } });
    const cacheFiles = new Map([
      ["_addon-dev-dependencies.hbs", '    "esbuild": "{{lookup versions "typescript"}}",\n    "iovalkey": "1.0.0",\n'],
      ["_dev-dependencies.hbs", '    "only-in-its-own-app": "1.0.0",'],
    ]);
    const withPart = new Map([...own, ["_dev-dependencies.hbs", '    "zod": "4.0.0",\n    "esbuild": "7.0.0",']]);
    const withDevDependencies = new Map([...base, ["package.json.hbs", "{{#if parts.dev-dependencies}}{{parts.dev-dependencies}}{{/if}}"]]);
    const files = renderScaffold(aPattern(), withDevDependencies, withPart, facts, { name: "a", generator: "0", addons: [{ pattern: cache, files: cacheFiles, because: "" }] });
    expect(files.get("package.json")).toBe('    "esbuild": "7.0.0",\n    "iovalkey": "1.0.0",\n    "zod": "4.0.0",');
    expect(renderScaffold(aPattern(), withDevDependencies, own, facts, { name: "a", generator: "0" }).get("package.json")).toBe("");
  });

  it("fails loudly on a field the template names but the context lacks", () => {
    const broken = new Map([["x.txt.hbs", "{{nope}}"]]);
    expect(() => renderScaffold(aPattern(), broken, own, facts, { name: "a", generator: "0" })).toThrow(/template x\.txt\.hbs: "nope" not defined/);
  });
});

describe("writeFiles", () => {
  const files = new Map([
    ["a.txt", "new a"],
    ["sub/b.txt", "new b"],
  ]);
  const fresh = () => mkdtempSync(join(tmpdir(), "write-"));

  it("creates a missing target in one move and leaves no temporary folder", () => {
    const parent = fresh();
    const result = writeFiles(join(parent, "app"), files, { force: false });
    expect(result.written).toEqual(["a.txt", "sub/b.txt"]);
    expect(readFileSync(join(parent, "app/sub/b.txt"), "utf8")).toBe("new b");
    expect(readdirSync(parent)).toEqual(["app"]);
  });

  it("refuses a non-empty target without --force and touches nothing", () => {
    const target = fresh();
    writeFileSync(join(target, "a.txt"), "mine");
    expect(() => writeFiles(target, files, { force: false })).toThrow(UserError);
    expect(readdirSync(target)).toEqual(["a.txt"]);
    expect(readFileSync(join(target, "a.txt"), "utf8")).toBe("mine");
    expect(readdirSync(dirname(target)).filter((f) => f.includes(".aws-patterns-"))).toEqual([]);
  });

  it("with --force replaces only generated files and keeps the user's others", () => {
    const target = fresh();
    writeFileSync(join(target, "a.txt"), "old a");
    mkdirSync(join(target, "sub"));
    writeFileSync(join(target, "sub/notes.md"), "keep me");
    writeFileSync(join(target, "keep.txt"), "keep me too");
    const result = writeFiles(target, files, { force: true });
    expect(result.replaced).toEqual(["a.txt"]);
    expect(readFileSync(join(target, "a.txt"), "utf8")).toBe("new a");
    expect(readFileSync(join(target, "sub/notes.md"), "utf8")).toBe("keep me");
    expect(readFileSync(join(target, "keep.txt"), "utf8")).toBe("keep me too");
    expect(readdirSync(dirname(target)).filter((f) => f.includes(".aws-patterns-"))).toEqual([]);
  });

  it("refuses a target that is a file", () => {
    const parent = fresh();
    writeFileSync(join(parent, "app"), "a file");
    expect(() => writeFiles(join(parent, "app"), files, { force: true })).toThrow(/exists and is not a folder/);
  });
});
