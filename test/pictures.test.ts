import { readdirSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { loadIcons } from "../src/catalog/load-icons.ts";
import { composeDiagram, diagramOf, type Diagram } from "../src/render/diagram.ts";
import { renderDrawio } from "../src/render/drawio.ts";
import { SIZES } from "../src/render/geometry.ts";
import { layoutDiagram, type Box } from "../src/render/layout.ts";
import { renderPictures } from "../src/render/picture.ts";
import { renderSvg } from "../src/render/svg.ts";
import { textWidth, wrapText } from "../src/render/text-metrics.ts";
import { escapeXml } from "../src/render/xml.ts";
import { assessDraft, draftRequirements } from "../src/requirements/resolve.ts";
import { adviseOn } from "../src/scoring/advice.ts";
import { EXPECTATIONS } from "./example-expectations.ts";

const catalog = await loadCatalog();
const icons = await loadIcons();
const byId = new Map(catalog.map((p) => [p.id, p]));
const { window } = new JSDOM("");
const parseXml = (text: string) => {
  const doc = new window.DOMParser().parseFromString(text, "application/xml");
  expect(doc.getElementsByTagName("parsererror").length, doc.documentElement.outerHTML.slice(0, 300)).toBe(0);
  return doc;
};

/** Every diagram pictures are drawn of: each entry's own, and the composed design of each example. */
const examples = readdirSync("examples").filter((f) => f.endsWith(".yaml")).map((f) => ({ file: join("examples", f), flags: undefined }));
const diagrams: [string, Diagram][] = [
  ...catalog.map((p) => [`show ${p.id}`, diagramOf(p)] as [string, Diagram]),
  ...[...EXPECTATIONS, ...examples].map((e) => {
    const rec = adviseOn(catalog, assessDraft(draftRequirements(e.file, e.flags ?? {}))).recommendation;
    return [`advise ${e.file} ${JSON.stringify(e.flags ?? {})}`, composeDiagram(byId.get(rec.primary)!, rec.complements.map((id) => byId.get(id)!))] as [string, Diagram];
  }),
];

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** What every layout must hold: no overlaps, groups holding their members (clear of the header) and wide enough for their label. */
function checkLayout(diagram: Diagram): void {
  const layout = layoutDiagram(diagram);
  expect(layout.nodes.map((n) => n.id).sort()).toEqual(diagram.nodes.map((n) => n.id).sort());
  for (const a of layout.nodes) for (const b of layout.nodes) if (a.id < b.id) expect(overlap(a, b), `${a.id} / ${b.id}`).toBe(false);
  for (const e of layout.edges) if (e.label) for (const n of layout.nodes) expect(overlap(e.label.box, n), `label of ${e.from}->${e.to} / ${n.id}`).toBe(false);
  for (const g of layout.groups) {
    expect(g.width, `${g.name} holds its label`).toBeGreaterThanOrEqual(textWidth(g.name, SIZES.groupFont) + SIZES.groupIcon + 8);
    for (const n of layout.nodes) {
      if (n.group === g.name) {
        expect(inside(n, g), `${n.id} in ${g.name}`).toBe(true);
        // clear of the header band, where the group's icon and label sit
        expect(n.y - g.y, `${n.id} below the header of ${g.name}`).toBeGreaterThanOrEqual(SIZES.groupHeader);
      } else expect(overlap(n, g), `${n.id} outside ${g.name}`).toBe(false);
    }
    for (const h of layout.groups) if (g.name < h.name) expect(overlap(g, h), `${g.name} / ${h.name}`).toBe(false);
  }
  // every box inside the picture
  for (const box of [...layout.nodes, ...layout.groups]) expect(inside(box, { x: 0, y: 0, width: layout.width, height: layout.height })).toBe(true);
}

describe("the layout (dagre, compound graph for groups)", () => {
  it.each(diagrams)("%s: no two nodes overlap, no edge label covers a node, every group holds its members and nothing else", (_, diagram) => {
    checkLayout(diagram);
  });

  it("holds for every primary with each complement it can take", () => {
    const complementable = catalog.filter((c) => c.fit.complements.length > 0);
    let checked = 0;
    for (const primary of catalog)
      for (const complement of complementable.filter((c) => c.id !== primary.id)) {
        checkLayout(composeDiagram(primary, [complement]));
        checked++;
      }
    expect(checked).toBeGreaterThan(400);
  }, 120_000);

  it("is the same every time", () => {
    const d = diagramOf(byId.get("multi-region-dr")!);
    expect(layoutDiagram(d)).toEqual(layoutDiagram(d));
  });

  it("wraps long labels to the width it measured and never cuts a word that fits", () => {
    const lines = wrapText("Amazon ElastiCache (Redis OSS or Valkey, Multi-AZ)", 132, 12);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(textWidth(line, 12)).toBeLessThanOrEqual(132);
    expect(lines.join(" ")).toBe("Amazon ElastiCache (Redis OSS or Valkey, Multi-AZ)");
    expect(wrapText("x".repeat(60), 100, 12).every((l) => textWidth(l, 12) <= 100)).toBe(true);
  });
});

describe("the SVG", () => {
  it.each(diagrams)("%s: parses, draws each service's AWS icon, each edge with its arrow, each group with its AWS look", (_, diagram) => {
    const doc = parseXml(renderPictures(diagram, icons, "Test", ["svg"]).get("svg")!);
    const root = doc.documentElement;
    expect(root.getAttribute("data-generator")).toBe("aws-patterns");
    for (const node of diagram.nodes) {
      const g = [...root.querySelectorAll("g.node")].find((e) => e.getAttribute("data-node") === node.id);
      expect(g, node.id).toBeDefined();
      if (node.service !== undefined) {
        expect(g!.getAttribute("data-service")).toBe(node.service);
        const icon = g!.querySelector("svg.icon");
        expect(icon?.getAttribute("viewBox"), node.id).toMatch(/^\d/);
        expect(icon!.querySelectorAll("path").length, node.id).toBeGreaterThan(0);
      }
      expect(g!.querySelector("text")!.textContent!.replace(/\s+/g, "")).toBe(node.label.replace(/\s+/g, ""));
    }
    const edges = [...root.querySelectorAll("g.edge")].map((e) => e.getAttribute("data-edge"));
    expect(edges.sort()).toEqual(diagram.edges.map((e) => `${e.from}->${e.to}`).sort());
    for (const e of root.querySelectorAll("g.edge")) {
      expect(e.querySelector("path.edge-line")!.getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+ /);
      expect(e.querySelector("path.arrow")!.getAttribute("d")).toMatch(/Z$/);
    }
    for (const group of diagram.groups) {
      const g = [...root.querySelectorAll("g.group")].find((e) => e.getAttribute("data-group") === group.name)!;
      expect(g.getAttribute("data-kind")).toBe(group.kind);
      expect(g.querySelector("rect.group-box")!.getAttribute("stroke")).toBe(icons.groups[group.kind].stroke);
      expect(g.querySelector("svg.group-icon") !== null).toBe(icons.groups[group.kind].icon !== undefined);
    }
    expect(root.querySelectorAll("g.edge-label").length).toBe(diagram.edges.filter((e) => e.label).length);
  });

  it("draws a VPC, a Region and a private subnet as AWS does: coloured border and corner icon", () => {
    const kinds = new Set(diagrams.flatMap(([, d]) => d.groups.map((g) => g.kind)));
    expect([...kinds].sort()).toEqual(["auto-scaling", "generic", "private-subnet", "region", "vpc"]);
    expect(icons.groups.vpc).toMatchObject({ stroke: "#8C4FFF", dashed: false });
    expect(icons.groups.region).toMatchObject({ stroke: "#00A4A6", dashed: true });
  });

  it("keeps hostile labels as text", () => {
    const hostile: Diagram = {
      direction: "LR",
      nodes: [
        { id: "a", label: `</text><script>alert("x")</script> & 'q'`, actor: true, from: "t" },
        { id: "b", label: "S3 <bucket> & more", actor: false, from: "t", service: "s3", group: `G "<g>" & co` },
      ],
      edges: [{ from: "a", to: "b", label: "a -> b & <c>" }],
      groups: [{ name: `G "<g>" & co`, kind: "vpc" }],
    };
    const [svg, drawio] = [...renderPictures(hostile, icons, `T <&> "x"`, ["svg", "drawio"]).values()];
    const doc = parseXml(svg!);
    expect(doc.getElementsByTagName("script").length).toBe(0);
    expect(doc.querySelector('g.node[data-node="a"] text')!.textContent).toBe(`</text><script>alert("x")</script> & 'q'`);
    expect(doc.querySelector("g.edge-label text")!.textContent).toBe("a -> b & <c>");
    expect(doc.querySelector("g.group")!.getAttribute("data-group")).toBe(`G "<g>" & co`);
    expect(doc.querySelector("title")!.textContent).toBe(`T <&> "x"`);
    // draw.io reads a value with html=1 as HTML: the text must come back as text
    const cells = [...parseXml(drawio!).getElementsByTagName("mxCell")];
    const html = (id: string) => new JSDOM(`<p>${cells.find((c) => c.getAttribute("id") === id)!.getAttribute("value")}</p>`).window.document.querySelector("p")!;
    expect(html("node:a").textContent).toBe(`</text><script>alert("x")</script> & 'q'`);
    expect(html("node:a").children.length).toBe(0);
    expect(html("edge:1").textContent).toBe("a -> b & <c>");
  });

  it("escapes the five XML characters and drops control characters", () => {
    expect(escapeXml(`<a b="c" d='e'>&\u0001`)).toBe("&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;");
  });

  it("reads well on a white page and on GitHub's dark theme: a background of its own, switched by prefers-color-scheme", () => {
    const svg = renderSvg(layoutDiagram(diagramOf(byId.get("serverless")!)), icons, "x");
    expect(svg).toMatch(/<rect class="bg"[^>]*fill="#FFFFFF"/);
    expect(svg).toContain("@media (prefers-color-scheme: dark){.bg{fill:#0D1117}");
    expect(svg).toContain(".label,.edge-text{fill:#E6EDF3}");
  });
});

describe("the draw.io file", () => {
  it.each(diagrams)("%s: mxGraph XML with AWS shapes, groups holding their members, and every edge connected", (_, diagram) => {
    const layout = layoutDiagram(diagram);
    const doc = parseXml(renderDrawio(layout, icons, "Test"));
    const root = doc.documentElement;
    expect(root.tagName).toBe("mxfile");
    expect(root.getAttribute("compressed")).toBeNull();
    const model = root.querySelector(":scope > diagram > mxGraphModel > root")!;
    expect(model).not.toBeNull();
    const cells = new Map([...model.getElementsByTagName("mxCell")].map((c) => [c.getAttribute("id")!, c]));
    const groupCell = new Map(diagram.groups.map((g) => [g.name, [...cells.values()].find((c) => c.getAttribute("id")!.startsWith("group:") && c.getAttribute("value") === escapeHtml(g.name))!]));
    for (const node of diagram.nodes) {
      const cell = cells.get(`node:${node.id}`)!;
      expect(cell, node.id).toBeDefined();
      expect(cell.getAttribute("vertex")).toBe("1");
      const style = cell.getAttribute("style")!;
      if (node.service !== undefined) expect(style, node.id).toContain(`shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.${icons.services[node.service]!.drawio};`);
      const parent = node.group === undefined ? "1" : groupCell.get(node.group)!.getAttribute("id");
      expect(cell.getAttribute("parent"), node.id).toBe(parent);
      if (node.group !== undefined) {
        // a child's geometry is relative to its group and lies within it
        const geometry = cell.querySelector("mxGeometry")!;
        const groupGeometry = groupCell.get(node.group)!.querySelector("mxGeometry")!;
        expect(Number(geometry.getAttribute("x"))).toBeGreaterThanOrEqual(0);
        expect(Number(geometry.getAttribute("x")) + Number(geometry.getAttribute("width"))).toBeLessThanOrEqual(Number(groupGeometry.getAttribute("width")));
      }
    }
    for (const group of diagram.groups) {
      const style = groupCell.get(group.name)!.getAttribute("style")!;
      const look = icons.groups[group.kind];
      expect(style).toContain(`strokeColor=${look.stroke};`);
      if (look.drawio) expect(style).toContain(`shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.${look.drawio};`);
      expect(style).toContain("container=1;");
    }
    const edges = [...cells.values()].filter((c) => c.getAttribute("edge") === "1");
    expect(edges.map((e) => `${e.getAttribute("source")}->${e.getAttribute("target")}`).sort()).toEqual(diagram.edges.map((e) => `node:${e.from}->node:${e.to}`).sort());
  });
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
