import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { composeDiagram, diagramOf, renderMermaid, type Diagram, componentsOf } from "../src/render/diagram.ts";
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
      groups: [{ name: 'G "quoted"', kind: "generic" }],
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

describe("the components table and the diagram come from one composed graph", () => {
  const complementable = catalog.filter((c) => c.fit.complements.length > 0);
  const pairs = catalog.flatMap((p) => complementable.filter((c) => c.id !== p.id && !p.embodies.includes(c.id)).map((c) => [p, c] as const));

  it.each(pairs.map(([p, c]) => [`${p.id} + ${c.id}`, p, c] as const))("%s", (_, primary, complement) => {
    const diagram = composeDiagram(primary, [complement]);
    const drawn = new Set(diagram.nodes.filter((n) => n.service !== undefined).map((n) => `${n.from}/${n.service}`));
    const listed = new Set(componentsOf(diagram, [primary, complement]).map((c) => `${c.entry}/${c.service}`));
    expect([...listed].sort()).toEqual([...drawn].sort());
    // every edge joins two drawn nodes, and a replica joins only a store of its own kind
    const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
    for (const edge of diagram.edges) {
      expect(byId.has(edge.from) && byId.has(edge.to), `${edge.from} -> ${edge.to}`).toBe(true);
      const attach = complement.diagram.attach.find((a) => `${complement.id}.${a.node}` === edge.to && a.services !== undefined);
      const source = byId.get(edge.from)!;
      if (attach && source.from === primary.id) expect(attach.services, `${source.service} -> ${edge.to}`).toContain(source.service);
    }
  });
});
