import type { GroupLook, Icon, IconSet } from "../catalog/icon-set.ts";
import type { GroupKind } from "../catalog/values.ts";
import { SIZES, type Box, type Layout, type PlacedEdge, type PlacedGroup, type PlacedNode, type Point } from "./geometry.ts";
import { escapeXml } from "./xml.ts";

/** Marks a picture as written by aws-patterns, so a later run may replace it and no one else's file. */
export const SVG_GENERATOR = 'data-generator="aws-patterns"';

const FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif";
const LIGHT = { page: "#FFFFFF", text: "#232F3E", line: "#545B64", actorFill: "#F8F9FA", actorStroke: "#7D8998", missing: "#7D8998" };
/**
 * On a dark page (GitHub's dark theme, a dark slide) the same picture with a dark background and
 * light text. The colours above are attributes, so a viewer without CSS (a slide program) shows the
 * light picture; this style block, where it applies, changes them.
 */
const DARK_STYLE = [
  ".bg{fill:#0D1117}",
  ".label,.edge-text{fill:#E6EDF3}",
  ".group-text{fill:#C9D1D9}",
  ".edge-line{stroke:#9DA5AE}",
  ".arrow{fill:#9DA5AE}",
  ".edge-bg{fill:#0D1117}",
  ".actor-box{fill:#161B22;stroke:#8B949E}",
  ".group-box{fill-opacity:0.12}",
];

/**
 * The laid-out diagram as a standalone SVG: AWS group boxes (coloured border, corner icon, label),
 * each service as its official icon with its name below, actors as rounded boxes, and every edge
 * with an arrowhead and its label on a background of the page's colour. Elements carry data-*
 * attributes naming the node, service, group or edge they draw. Pure: returns the text.
 */
export function renderSvg(layout: Layout, icons: IconSet, title: string): string {
  const { width, height } = layout;
  const dark = (Object.entries(icons.groups) as [GroupKind, GroupLook][]).filter(([, g]) => g.dark !== undefined).map(([kind, g]) => `.kind-${kind} .group-box{stroke:${g.dark}}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-label="${escapeXml(title)}" ${SVG_GENERATOR}>`,
    `<title>${escapeXml(title)}</title>`,
    `<style>@media (prefers-color-scheme: dark){${[...DARK_STYLE, ...dark].join("")}}</style>`,
    `<rect class="bg" x="0" y="0" width="${width}" height="${height}" fill="${LIGHT.page}"/>`,
    ...layout.groups.map((g) => drawGroup(g, icons.groups[g.kind as GroupKind] ?? icons.groups.generic)),
    ...layout.edges.map(drawEdge),
    ...layout.nodes.map((n) => drawNode(n, icons)),
    ...layout.edges.filter((e) => e.label !== undefined).map(drawEdgeLabel),
    "</svg>",
    "",
  ].join("\n");
}

function drawGroup(group: PlacedGroup, look: GroupLook): string {
  const { x, y, width, height } = group;
  const dash = look.dashed ? ` stroke-dasharray="6 4"` : "";
  const icon = look.icon ? placeIcon(look.icon, { x, y, width: SIZES.groupIcon, height: SIZES.groupIcon }, "group-icon") : "";
  const textX = x + (look.icon ? SIZES.groupIcon + 8 : 10);
  return [
    `<g class="group kind-${group.kind}" data-group="${escapeXml(group.name)}" data-kind="${group.kind}">`,
    `<rect class="group-box" x="${x}" y="${y}" width="${width}" height="${height}" fill="${look.fill ?? "none"}" stroke="${look.stroke}" stroke-width="1.5"${dash}/>`,
    icon,
    `<text class="group-text" x="${textX}" y="${y + 17}" font-size="${SIZES.groupFont}" fill="${look.text}">${escapeXml(group.name)}</text>`,
    "</g>",
  ]
    .filter((l) => l !== "")
    .join("\n");
}

function drawNode(node: PlacedNode, icons: IconSet): string {
  const cx = node.x + node.width / 2;
  const attrs = `class="node${node.actor ? " actor" : ""}" data-node="${escapeXml(node.id)}"${node.service !== undefined ? ` data-service="${escapeXml(node.service)}"` : ""}${node.group !== undefined ? ` data-group="${escapeXml(node.group)}"` : ""}`;
  if (node.actor || node.icon === undefined) {
    const radius = Math.min(node.height / 2, 14);
    return [
      `<g ${attrs}>`,
      `<rect class="actor-box" x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="${radius}" fill="${LIGHT.actorFill}" stroke="${LIGHT.actorStroke}" stroke-width="1.2"/>`,
      label(node.lines, cx, node.y + 9, SIZES.nodeFont, SIZES.nodeLine, "label"),
      "</g>",
    ].join("\n");
  }
  const look = node.service !== undefined ? icons.services[node.service] : undefined;
  const icon = look
    ? placeIcon(look.icon, node.icon, "icon")
    : `<rect class="icon no-icon" x="${node.icon.x}" y="${node.icon.y}" width="${node.icon.width}" height="${node.icon.height}" rx="6" fill="${LIGHT.missing}"/>`;
  return [`<g ${attrs} data-icon="${look ? "aws" : "none"}">`, icon, label(node.lines, cx, node.icon.y + node.icon.height + 6, SIZES.nodeFont, SIZES.nodeLine, "label"), "</g>"].join("\n");
}

function drawEdge(edge: PlacedEdge): string {
  const points = edge.points;
  const tip = points[points.length - 1]!;
  const before = points[points.length - 2] ?? points[0]!;
  return [
    `<g class="edge" data-edge="${escapeXml(`${edge.from}->${edge.to}`)}">`,
    `<path class="edge-line" d="${curve(points)}" fill="none" stroke="${LIGHT.line}" stroke-width="1.4"/>`,
    `<path class="arrow" d="${arrowhead(before, tip)}" fill="${LIGHT.line}"/>`,
    "</g>",
  ].join("\n");
}

function drawEdgeLabel(edge: PlacedEdge): string {
  const { lines, box } = edge.label!;
  return [
    `<g class="edge-label" data-label-of="${escapeXml(`${edge.from}->${edge.to}`)}">`,
    `<rect class="edge-bg" x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="3" fill="${LIGHT.page}" fill-opacity="0.92"/>`,
    label(lines, box.x + box.width / 2, box.y + 2, SIZES.edgeFont, SIZES.edgeLine, "edge-text"),
    "</g>",
  ].join("\n");
}

/** Centred lines of text whose first line's top is at `top`. */
function label(lines: readonly string[], cx: number, top: number, size: number, step: number, cls: string): string {
  const baseline = top + Math.round(size * 0.92);
  const spans = lines.map((line, i) => `<tspan x="${round(cx)}" y="${round(baseline + i * step)}">${escapeXml(line)}</tspan>`).join("");
  return `<text class="${cls}" text-anchor="middle" font-size="${size}" fill="${LIGHT.text}">${spans}</text>`;
}

/** An icon as a nested <svg> scaled into a box: no references, so the picture is one self-contained file. */
function placeIcon(icon: Icon, box: Box, cls: string): string {
  return `<svg class="${cls}" x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" viewBox="${icon.viewBox}">${icon.body}</svg>`;
}

/** A smooth path through dagre's points: a uniform B-spline, drawn as d3's curveBasis draws it. */
function curve(points: readonly Point[]): string {
  const p = points.map((q) => ({ x: round(q.x), y: round(q.y) }));
  const bezier = (a: Point, b: Point, c: Point) =>
    `C${round((2 * a.x + b.x) / 3)},${round((2 * a.y + b.y) / 3)} ${round((a.x + 2 * b.x) / 3)},${round((a.y + 2 * b.y) / 3)} ${round((a.x + 4 * b.x + c.x) / 6)},${round((a.y + 4 * b.y + c.y) / 6)}`;
  const out = [`M${p[0]!.x},${p[0]!.y}`];
  if (p.length >= 3) out.push(`L${round((5 * p[0]!.x + p[1]!.x) / 6)},${round((5 * p[0]!.y + p[1]!.y) / 6)}`);
  for (let i = 2; i < p.length; i++) out.push(bezier(p[i - 2]!, p[i - 1]!, p[i]!));
  if (p.length >= 3) out.push(bezier(p[p.length - 2]!, p[p.length - 1]!, p[p.length - 1]!));
  if (p.length >= 2) out.push(`L${p[p.length - 1]!.x},${p[p.length - 1]!.y}`);
  return out.join(" ");
}

/** A filled arrowhead at `tip`, pointing along from → tip. */
function arrowhead(from: Point, tip: Point): string {
  const angle = Math.atan2(tip.y - from.y, tip.x - from.x);
  const length = 9;
  const half = 4.5;
  const back = { x: tip.x - length * Math.cos(angle), y: tip.y - length * Math.sin(angle) };
  const left = { x: back.x + half * Math.sin(angle), y: back.y - half * Math.cos(angle) };
  const right = { x: back.x - half * Math.sin(angle), y: back.y + half * Math.cos(angle) };
  return `M${round(tip.x)},${round(tip.y)} L${round(left.x)},${round(left.y)} L${round(right.x)},${round(right.y)} Z`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
