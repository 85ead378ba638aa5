import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import pixelmatch from "pixelmatch";
import { chromium, type Browser, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.ts";
import { composeDiagram, diagramOf, type Diagram } from "../src/render/diagram.ts";
import { assessDraft, draftRequirements } from "../src/requirements/resolve.ts";
import { adviseOn } from "../src/scoring/advice.ts";
import { inPool, runCli } from "./support/run-cli.ts";

/**
 * The pictures the built CLI draws, rendered by a real browser: Debian's chromium, driven by
 * playwright-core (.ci/run installs it, with the Liberation fonts the goldens were drawn with).
 * One browser for the whole file; every picture at a fixed viewport and scale.
 */
const catalog = await loadCatalog();
const byId = new Map(catalog.map((p) => [p.id, p]));
const examples = readdirSync("examples").filter((f) => f.endsWith(".yaml")).sort();
const GOLDEN_DIR = "test/golden/pictures";
/** Share of pixels allowed to differ from a golden (anti-aliasing, font hinting). */
const GOLDEN_TOLERANCE = 0.002;
const work = mkdtempSync(join(tmpdir(), "aws-patterns-pictures-"));

type Picture = { name: string; argv: string[]; diagram: Diagram };
const pictures: Picture[] = [
  ...catalog.map((p) => ({ name: `show ${p.id}`, argv: ["show", p.id, "--format", "svg"], diagram: diagramOf(p) })),
  ...examples.map((file) => {
    const rec = adviseOn(catalog, assessDraft(draftRequirements(join("examples", file), {}))).recommendation;
    const diagram = composeDiagram(byId.get(rec.primary)!, rec.complements.map((id) => byId.get(id)!));
    return { name: `advise ${file}`, argv: ["advise", "-r", join("examples", file), "--format", "svg", "--no-input"], diagram };
  }),
];
const drawn = new Map<string, string>();
const drawio = new Map<string, string>();
let browser: Browser;
let page: Page;

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => p !== undefined && p !== "");
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error("no chromium found: install Debian's chromium (apt-get install chromium), as .ci/run does, or set CHROMIUM_PATH");
  return found;
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  // every picture in both formats, two processes at a time
  const jobs = pictures.flatMap((p) => [{ p, format: "svg" }, { p, format: "drawio" }]);
  const runs = await inPool(jobs.map(({ p, format }) => () => runCli(p.argv.map((a) => (a === "svg" ? format : a)))), 2);
  runs.forEach((run, i) => {
    const { p, format } = jobs[i]!;
    expect(run.code, `${p.name} (${format}): ${run.stderr}`).toBe(0);
    (format === "svg" ? drawn : drawio).set(p.name, run.stdout);
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Shows an SVG alone on a page in the given colour scheme; returns a PNG of it. */
async function show(svg: string, scheme: "light" | "dark" = "light"): Promise<Buffer> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:#808080">${svg}</body></html>`);
  await page.evaluate(() => document.fonts.ready);
  return page.locator("body > svg").screenshot();
}

type Seen = {
  nodes: { id: string; service?: string; box: DOMRect; icon?: { children: number; width: number; height: number } }[];
  edges: { key: string; length: number }[];
};

async function inspect(): Promise<Seen> {
  return page.evaluate(() => {
    const box = (e: Element) => e.getBoundingClientRect().toJSON() as DOMRect;
    return {
      nodes: [...document.querySelectorAll("g.node")].map((g) => {
        const icon = g.querySelector("svg.icon");
        const service = g.getAttribute("data-service") ?? undefined;
        return {
          id: g.getAttribute("data-node")!,
          ...(service !== undefined ? { service } : {}),
          box: box(g),
          // the icon's viewport as laid out (its drawing is clipped to it)
          ...(icon ? { icon: { children: icon.querySelectorAll("path").length, width: (icon as SVGSVGElement).width.baseVal.value, height: (icon as SVGSVGElement).height.baseVal.value } } : {}),
        };
      }),
      edges: [...document.querySelectorAll("g.edge")].map((g) => ({ key: g.getAttribute("data-edge")!, length: (g.querySelector("path.edge-line") as SVGPathElement).getTotalLength() })),
    };
  });
}

const overlap = (a: DOMRect, b: DOMRect) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

describe("every picture, as Chromium draws it", () => {
  it.each(pictures.map((p) => [p.name, p] as const))("%s: every service's icon, no overlapping nodes, every edge drawn", async (_, picture) => {
    const png = PNG.sync.read(await show(drawn.get(picture.name)!));
    // a real picture: the size the SVG asked for, mostly page, and colours of its own
    const width = Number(/width="([\d.]+)"/.exec(drawn.get(picture.name)!)![1]);
    expect(Math.abs(png.width - width)).toBeLessThanOrEqual(1);
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 200 || png.data[i + 1]! < 200 || png.data[i + 2]! < 200) ink++;
    expect(ink / (png.width * png.height)).toBeGreaterThan(0.01);

    const seen = await inspect();
    expect(seen.nodes.map((n) => n.id).sort()).toEqual(picture.diagram.nodes.map((n) => n.id).sort());
    for (const node of picture.diagram.nodes.filter((n) => n.service !== undefined)) {
      const icon = seen.nodes.find((n) => n.id === node.id)?.icon;
      expect(icon, `${node.id} (${node.service}) has no icon`).toBeDefined();
      expect(icon!.children, node.id).toBeGreaterThan(0);
      expect([icon!.width, icon!.height], node.id).toEqual([48, 48]);
    }
    for (const a of seen.nodes) for (const b of seen.nodes) if (a.id < b.id) expect(overlap(a.box, b.box), `${a.id} overlaps ${b.id}`).toBe(false);
    expect(seen.edges.map((e) => e.key).sort()).toEqual(picture.diagram.edges.map((e) => `${e.from}->${e.to}`).sort());
    for (const edge of seen.edges) expect(edge.length, edge.key).toBeGreaterThan(10);
  });
});

describe("golden pictures (look at them before accepting: UPDATE_GOLDEN=1 rewrites them)", () => {
  it.each([
    ["show high-traffic-ecommerce", "light", "high-traffic-ecommerce.png"],
    ["show multi-region-dr", "dark", "multi-region-dr-dark.png"],
    ["advise multi-tenant-saas.yaml", "light", "multi-tenant-saas-composed.png"],
  ] as const)("%s (%s)", async (name, scheme, file) => {
    const actual = PNG.sync.read(await show(drawn.get(name)!, scheme));
    const path = join(GOLDEN_DIR, file);
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(path, PNG.sync.write(actual));
    }
    expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 and look at it`).toBe(true);
    const golden = PNG.sync.read(readFileSync(path));
    expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
    const diff = new PNG({ width: golden.width, height: golden.height });
    const differing = pixelmatch(golden.data, actual.data, diff.data, golden.width, golden.height, { threshold: 0.1 });
    if (differing / (golden.width * golden.height) > GOLDEN_TOLERANCE) {
      writeFileSync(join(work, `actual-${file}`), PNG.sync.write(actual));
      writeFileSync(join(work, `diff-${file}`), PNG.sync.write(diff));
    }
    expect(differing / (golden.width * golden.height), `${differing} pixels differ; see ${work}`).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
  });
});

describe("the README's picture", () => {
  it("is what the CLI draws today (regenerate: advise -r examples/high-traffic-ecommerce.yaml --format svg --out docs/architecture-example.svg)", () => {
    expect(readFileSync("docs/architecture-example.svg", "utf8")).toBe(drawn.get("advise high-traffic-ecommerce.yaml"));
    expect(readFileSync("README.md", "utf8")).toContain("](docs/architecture-example.svg)");
  });
});

describe("draw.io files from the built CLI", () => {
  it.each(pictures.map((p) => [p.name, p] as const))("%s: mxGraph XML, AWS shapes, every edge connected", (_, picture) => {
    const doc = new new JSDOM("").window.DOMParser().parseFromString(drawio.get(picture.name)!, "application/xml");
    expect(doc.getElementsByTagName("parsererror").length).toBe(0);
    expect(doc.documentElement.tagName).toBe("mxfile");
    const cells = [...doc.querySelectorAll("mxfile > diagram > mxGraphModel > root > mxCell")];
    const byCell = new Map(cells.map((c) => [c.getAttribute("id")!, c]));
    for (const node of picture.diagram.nodes.filter((n) => n.service !== undefined))
      expect(byCell.get(`node:${node.id}`)?.getAttribute("style"), node.id).toMatch(/shape=mxgraph\.aws4\.resourceIcon;resIcon=mxgraph\.aws4\.[a-z0-9_]+;/);
    const edges = cells.filter((c) => c.getAttribute("edge") === "1").map((c) => `${c.getAttribute("source")}->${c.getAttribute("target")}`);
    expect(edges.sort()).toEqual(picture.diagram.edges.map((e) => `node:${e.from}->node:${e.to}`).sort());
  });
});

describe("pictures beside the design document", () => {
  const advise = (dir: string, ...extra: string[]) => runCli(["advise", "-r", "examples/multi-tenant-saas.yaml", "--no-input", "--out", join(dir, "design.md"), ...extra]);

  it("--out doc.md writes doc.svg beside it and shows it above the Mermaid block; --diagrams all adds doc.drawio; none writes neither", async () => {
    const dir = join(work, "beside");
    const first = await advise(dir);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["design.md", "design.svg"]);
    expect(readFileSync(join(dir, "design.md"), "utf8")).toMatch(/## Architecture\n\n!\[Architecture\]\(design\.svg\)\n\n```mermaid\n/);
    expect(readFileSync(join(dir, "design.svg"), "utf8")).toBe(drawn.get("advise multi-tenant-saas.yaml"));
    const all = await advise(dir, "--diagrams", "all");
    expect(all.code, all.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["design.drawio", "design.md", "design.svg"]);
    expect(readFileSync(join(dir, "design.drawio"), "utf8")).toMatch(/^<mxfile host="aws-patterns"/);
    const none = join(work, "none");
    const bare = await runCli(["advise", "-r", "examples/multi-tenant-saas.yaml", "--no-input", "--out", join(none, "design.md"), "--diagrams", "none"]);
    expect(bare.code, bare.stderr).toBe(0);
    expect(readdirSync(none)).toEqual(["design.md"]);
    expect(readFileSync(join(none, "design.md"), "utf8")).not.toContain("![Architecture]");
  });

  it("never replaces a picture it did not write, and then writes nothing at all", async () => {
    const dir = join(work, "theirs");
    mkdirSync(dir);
    writeFileSync(join(dir, "design.svg"), "<svg>someone's own drawing</svg>");
    const run = await advise(dir, "--diagrams", "all");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, "design.svg")}: exists and was not written by aws-patterns; nothing was written`);
    expect(readdirSync(dir)).toEqual(["design.svg"]);
    expect(readFileSync(join(dir, "design.svg"), "utf8")).toBe("<svg>someone's own drawing</svg>");
  });

  it("leaves no temporary file behind", async () => {
    const dir = join(work, "clean");
    expect((await advise(dir, "--diagrams", "all")).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes("aws-patterns-"))).toEqual([]);
  });

  it("says in advise --help what --diagrams writes, its choices and its default", async () => {
    const help = (await runCli(["advise", "--help"])).stdout.replace(/\s+/g, " ");
    expect(help).toContain("--diagrams <which> with --out FILE: the pictures written beside the document (doc.svg, shown in it, and doc.drawio): none, svg, drawio or all; default: svg");
    expect(help).toMatch(/--format <format> .*svg \(AWS icons\) or drawio \(editable in diagrams\.net\)/);
    const show = (await runCli(["show", "--help"])).stdout.replace(/\s+/g, " ");
    expect(show).toMatch(/mermaid, svg \(AWS icons\) and drawio \(editable in diagrams\.net\) print the diagram only/);
  });

  it("--diagrams needs a document written to a file", async () => {
    const run = await runCli(["advise", "-r", "examples/multi-tenant-saas.yaml", "--no-input", "--diagrams", "svg"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--diagrams writes pictures beside the design document, so it needs --out FILE with the document (md)");
  });
});

describe("an org catalog (--patterns DIR) with services of its own", () => {
  it("draws its services with the icons its _icons.yaml maps, and an unmapped one as a plain tile, saying so", async () => {
    const dir = join(work, "org");
    mkdirSync(dir);
    const own = readFileSync("patterns/serverless.yaml", "utf8")
      .replace(/^id: serverless$/m, "id: acme-serverless")
      .replace(/- id: lambda\n/, "- id: acme-runtime\n")
      .replace(/service: lambda\b/g, "service: acme-runtime")
      .replace(/- id: dynamodb\n/, "- id: acme-store\n")
      .replace(/service: dynamodb\b/g, "service: acme-store");
    writeFileSync(join(dir, "acme-serverless.yaml"), own);
    writeFileSync(join(dir, "runtime.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path fill="#123456" d="M0 0h10v10H0z"/><path fill="#fff" d="M2 2h6v6H2z"/></svg>');
    writeFileSync(join(dir, "_icons.yaml"), "services:\n  acme-runtime: { file: runtime.svg, drawio: lambda }\n");
    const run = await runCli(["--patterns", dir, "show", "acme-serverless", "--format", "svg"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("aws-patterns: no icon for acme-store; drawn as plain tiles");
    const svg = new JSDOM(run.stdout, { contentType: "image/svg+xml" }).window.document;
    const runtime = svg.querySelector('g.node[data-service="acme-runtime"]')!;
    expect(runtime.getAttribute("data-icon")).toBe("aws");
    expect(runtime.querySelector("svg.icon")!.innerHTML).toContain("#123456");
    expect(svg.querySelector('g.node[data-service="acme-store"]')!.getAttribute("data-icon")).toBe("none");
  });

  it("cannot name an aws-icons file the installed CLI does not ship, and is told what to do", async () => {
    const dir = join(work, "org-unshipped");
    mkdirSync(dir);
    writeFileSync(join(dir, "_icons.yaml"), "services:\n  acme-db: { icon: architecture-service/AmazonNeptune, drawio: neptune }\n");
    writeFileSync(join(dir, "serverless.yaml"), readFileSync("patterns/serverless.yaml", "utf8"));
    const run = await runCli(["--patterns", dir, "show", "serverless", "--format", "drawio"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("services.acme-db.icon (line 2): aws-patterns ships only the icons its own catalog uses");
  });
});

describe("the bundle", () => {
  it("loads the layout engine only for pictures: not for advise --format json", () => {
    const dist = "dist";
    const main = readFileSync(join(dist, "main.js"), "utf8");
    const statics = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      for (const m of readFileSync(join(dist, file), "utf8").matchAll(/(?:^|[;}\s])import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+)["']/g)) statics(m[1]!, seen);
      return seen;
    };
    const lazy = (file: string) => [...readFileSync(join(dist, file), "utf8").matchAll(/import\(["']\.\/([^"']+)["']\)/g)].map((m) => m[1]!);
    const isDagre = (file: string) => /borderTop/.test(readFileSync(join(dist, file), "utf8")) && /nodesep/.test(readFileSync(join(dist, file), "utf8"));
    // what `advise --format json` loads: main, the advise command, and their static imports
    const adviseChunk = lazy("main.js").concat(...[...statics("main.js")].flatMap(lazy)).find((f) => /^advise-/.test(f));
    expect(adviseChunk, main.slice(0, 200)).toBeDefined();
    const loaded = statics(adviseChunk!, statics("main.js"));
    expect([...loaded].filter(isDagre)).toEqual([]);
    // and the engine is there, in a chunk some command loads lazily
    const reachable = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      for (const next of [...statics(file), ...lazy(file)]) reachable(next, seen);
      return seen;
    };
    expect([...reachable("main.js")].filter(isDagre).length).toBe(1);
    expect(execFileSync(process.execPath, ["bin/aws-patterns.js", "show", "serverless", "--format", "svg"], { encoding: "utf8" })).toMatch(/^<svg /);
  });
});
