import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { buildScaffold } from "../src/commands/scaffold.ts";
import { noSettings } from "../src/render/scaffold-settings.ts";

const catalog = await loadCatalog();
const byId = (id: string) => catalog.find((p) => p.id === id)!;
const because = "Repeated reads should stop reaching the database.";
const build = (primary: string) =>
  buildScaffold(catalog, byId(primary), { name: "app", generator: "0.0.0", derived: noSettings(), complements: [{ id: "cache-aside", on: "data.readWriteRatio", says: because }] }).files;

describe("composing a complement into the primary's app", () => {
  it("adds the cache where the stack lists functions that read through it", () => {
    const files = build("serverless");
    expect([...files.keys()]).toContain("lib/addons/read-through-cache.ts");
    expect(files.get("README.md")).toMatch(/## Complements composed into this app[\s\S]*cache-aside/);
  });

  it("leaves out a cache that no function of the stack would read, and the README says why", () => {
    const files = build("multi-tenant-saas");
    expect([...files.keys()]).not.toContain("lib/addons/read-through-cache.ts");
    const readme = files.get("README.md")!;
    expect(readme).toMatch(/## Complements recommended but not composed[\s\S]*`cache-aside`\): Repeated reads should stop reaching the database\. Composing it needs the app's functions that read through a cache/);
    expect(readme).not.toMatch(/## Complements composed into this app/);
  });

  it("composes an add-on only into stacks that provide every part it needs, by the catalog's data", () => {
    for (const p of catalog) {
      const addon = p.scaffold?.addon;
      if (!addon) continue;
      for (const host of catalog.filter((h) => h.scaffold && h.id !== p.id)) {
        const offered = addon.needs.every((part) => host.scaffold!.provides.includes(part));
        const files = buildScaffold(catalog, host, { name: "app", generator: "0.0.0", derived: noSettings(), complements: [{ id: p.id, on: "workload", says: because }] }).files;
        const composed = [...files.keys()].some((f) => f === `lib/${addon.module}.ts`);
        expect(composed, `${p.id} into ${host.id}`).toBe(offered && p.scaffold?.viaSettings === undefined);
      }
    }
  });
});
