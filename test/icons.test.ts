import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ICON_TABLE_FILE, parseSvgIcon } from "../src/catalog/icon-set.ts";
import { readIconTable } from "../src/catalog/icon-table.ts";
import { loadCatalog, builtinPatternsDir } from "../src/catalog/load.ts";
import { iconFromPackage, loadIcons } from "../src/catalog/load-icons.ts";
import { GROUP_KINDS } from "../src/catalog/values.ts";
import type { Problem } from "../src/errors.ts";

const catalog = await loadCatalog();
const tableFile = join(builtinPatternsDir(), ICON_TABLE_FILE);
const problems: Problem[] = [];
const table = readIconTable(tableFile, iconFromPackage, problems, "missing");
const iconsDir = join(dirname(createRequire(import.meta.url).resolve("aws-icons/package.json")), "icons");
const work = mkdtempSync(join(tmpdir(), "aws-patterns-icons-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the icon table (patterns/_icons.yaml)", () => {
  it("reads without a problem", () => {
    expect(problems).toEqual([]);
  });

  it("maps every service id the catalog uses to an icon and a draw.io shape", () => {
    const used = [...new Set(catalog.flatMap((p) => p.services.map((s) => s.id)))].sort();
    expect(used.filter((id) => table.services[id] === undefined)).toEqual([]);
    expect(used.length).toBeGreaterThan(60);
  });

  it("names only icons of the official AWS Architecture Icons set, as aws-icons ships them", () => {
    const keys = new Set([...Object.values(table.services).map((s) => s.icon), ...Object.values(table.groups).flatMap((g) => (g?.icon ? [g.icon] : []))]);
    let titled = 0;
    for (const key of keys) {
      // service, group and category icons, not the package's own drawings
      expect(key, key).toMatch(/^(architecture-service|architecture-group|category)\//);
      const title = /<title>([^<]+)<\/title>/.exec(readFileSync(join(iconsDir, `${key}.svg`), "utf8"))?.[1];
      if (title === undefined) continue;
      // where a file keeps AWS's own name as its title, it is that of the set: Icon-Architecture/48/Arch_Amazon-Route-53_48
      expect(title, key).toMatch(/^Icon-Architecture(-Group|-Category)?\/\d+\/[\w-]+_\d+$/);
      titled++;
    }
    expect(titled).toBeGreaterThan(keys.size / 2);
  });

  it("gives every group kind a look, and an AWS group icon to every kind draw.io draws with one", () => {
    for (const kind of GROUP_KINDS) {
      const look = table.groups[kind];
      expect(look, kind).toBeDefined();
      expect(look!.icon === undefined, kind).toBe(look!.drawio === undefined);
    }
  });

  it("takes each draw.io tile colour from the icon's own background, as AWS colours it by category", () => {
    expect(table.services.lambda!.color).toBe("#ED7100");
    expect(table.services.s3!.color).toBe("#7AA116");
    expect(table.services.route53!.color).toBe("#8C4FFF");
  });
});

describe("an icon file", () => {
  it("keeps its drawing, drops its title and makes its ids its own", () => {
    const icon = parseSvgIcon('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><title>x</title><defs><clipPath id="a"><path d="M0 0h4v4H0z"/></clipPath></defs><g clip-path="url(#a)"><path fill="#123456" d="M0 0h40v40H0z"/></g></svg>', "p-");
    expect(icon).toMatchObject({ viewBox: "0 0 40 40" });
    expect(typeof icon !== "string" && icon.body).toBe('<defs><clipPath id="p-a"><path d="M0 0h4v4H0z"/></clipPath></defs><g clip-path="url(#p-a)"><path fill="#123456" d="M0 0h40v40H0z"/></g>');
  });

  it.each([
    ["<html></html>", "is not an SVG file"],
    ['<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>', "has no viewBox"],
    ['<svg viewBox="0 0 1 1"><script>alert(1)</script></svg>', "holds a script"],
    ['<svg viewBox="0 0 1 1"><path onload="alert(1)" d="M0 0"/></svg>', "holds a script"],
  ])("refuses %s", (text, says) => {
    expect(parseSvgIcon(text, "p-")).toContain(says);
  });
});

describe("an org catalog's own _icons.yaml (--patterns DIR)", () => {
  it("maps its own services, to an icon the catalog ships or to an SVG file beside it, and wins over the built-in table", async () => {
    const dir = join(work, "org");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, "acme.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path fill="#112233" d="M0 0h10v10H0z"/></svg>');
    writeFileSync(
      join(dir, ICON_TABLE_FILE),
      ["services:", "  acme-queue: { file: acme.svg, drawio: sqs }", "  s3: { icon: architecture-service/AmazonSimpleQueueService, drawio: sqs, color: '#000000' }", ""].join("\n"),
    );
    const icons = await loadIcons([dir]);
    expect(icons.services["acme-queue"]).toMatchObject({ drawio: "sqs", color: "#112233", icon: { viewBox: "0 0 10 10" } });
    expect(icons.services.s3).toMatchObject({ drawio: "sqs", color: "#000000" });
    expect(icons.services.lambda!.drawio).toBe("lambda");
  });

  it("reports every problem at once: a missing file, an unsafe one, an unknown icon, a bad shape name", async () => {
    const dir = join(work, "bad");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "evil.svg"), '<svg viewBox="0 0 1 1"><script>x()</script></svg>');
    writeFileSync(
      join(dir, ICON_TABLE_FILE),
      [
        "services:",
        "  a: { file: nowhere.svg, drawio: sqs }",
        "  b: { file: evil.svg, drawio: sqs }",
        "  c: { icon: architecture-service/NoSuchService, drawio: sqs }",
        "  d: { icon: architecture-service/AWSLambda, drawio: Not-A-Shape }",
        "",
      ].join("\n"),
    );
    const error = await loadIcons([dir]).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/the icon table has 4 problems/);
    expect(error?.message).toContain(`${join(dir, ICON_TABLE_FILE)} › services.a.file (line 2): nowhere.svg`);
    expect(error?.message).toMatch(/services\.b\.file \(line 3\): evil\.svg holds a script/);
    expect(error?.message).toMatch(/services\.c\.icon \(line 4\): no such file in the aws-icons package/);
    expect(error?.message).toMatch(/services\.d\.drawio \(line 5\): expected a draw\.io aws4 shape name/);
  });
});
