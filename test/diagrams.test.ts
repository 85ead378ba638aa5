import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { composeDiagram, diagramOf, renderMermaid, type Diagram } from "../src/render/diagram.ts";
import { assessDraft, draftRequirements } from "../src/requirements/resolve.ts";
import { adviseOn } from "../src/scoring/advice.ts";
import { EXPECTATIONS } from "./example-expectations.ts";

/** The real mermaid parser; it needs a DOM for its sanitizer, so jsdom provides one. */
let parse: (text: string) => Promise<unknown>;
beforeAll(async () => {
  const dom = new JSDOM("<!doctype html><html><body></body></html>");
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import("mermaid")).default;
  parse = (text) => mermaid.parse(text);
});

const catalog = await loadCatalog();
const byId = new Map(catalog.map((p) => [p.id, p]));

describe("Mermaid diagrams pass the real mermaid parser", () => {
  it.each(catalog.map((p) => [p.id]))("%s", async (id) => {
    const text = renderMermaid(diagramOf(byId.get(id)!));
    await expect(parse(text)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
  });

  it.each(EXPECTATIONS.map((e) => [`${e.file} ${JSON.stringify(e.flags ?? {})}`, e] as const))("composed for %s", async (_, e) => {
    const rec = adviseOn(catalog, assessDraft(draftRequirements(e.file, e.flags ?? {}))).recommendation;
    const text = renderMermaid(composeDiagram(byId.get(rec.primary)!, rec.complements.map((id) => byId.get(id)!)), rec.primary);
    await expect(parse(text)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
  });

  it("rejects broken syntax, so the checks above can fail", async () => {
    await expect(parse('flowchart LR\n  n1["A" --> n2')).rejects.toThrow(/Parse error/);
  });

  it("quotes any label safely", async () => {
    const hostile: Diagram = {
      direction: "LR",
      nodes: [
        { id: "a", label: 'Say "hi" [x] {y} (z) | --> end', actor: true, from: "t" },
        { id: "b", label: "subgraph end; click", actor: false, from: "t", group: 'G "quoted"' },
      ],
      edges: [{ from: "a", to: "b", label: 'a|b "c" -->' }],
    };
    await expect(parse(renderMermaid(hostile))).resolves.toMatchObject({ diagramType: "flowchart-v2" });
  });
});

describe("composing complements into the primary's diagram", () => {
  it("puts the cache beside the compute tier and links it from there", () => {
    const d = composeDiagram(byId.get("serverless")!, [byId.get("cache-aside")!]);
    const cache = d.nodes.find((n) => n.from === "cache-aside")!;
    expect(cache).toMatchObject({ group: "Cache-Aside", service: "elasticache" });
    expect(d.edges).toContainEqual({ from: "fn", to: cache.id, label: "read-through; delete on write" });
  });

  it("adds nothing when there is no complement", () => {
    expect(composeDiagram(byId.get("serverless")!, [])).toEqual(diagramOf(byId.get("serverless")!));
  });
});
