import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../src/errors.ts";
import { writeFiles } from "../src/output/write-files.ts";
import { renderScaffold } from "../src/render/scaffold.ts";
import type { ScaffoldFacts } from "../src/render/scaffold-facts.ts";
import { aPattern } from "./builders.ts";

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
