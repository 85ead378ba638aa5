import dagre from "@dagrejs/dagre";
import type { Diagram } from "./diagram.ts";
import { SIZES, type Box, type Layout, type PlacedEdge, type PlacedGroup, type PlacedNode, type Point } from "./geometry.ts";
import { textWidth, wrapText } from "./text-metrics.ts";

export type { Box, Layout, PlacedEdge, PlacedGroup, PlacedNode, Point };

const GROUP_PREFIX = "\u0000group:";

/**
 * Lays a diagram out with dagre (a layered layout in the diagram's direction), as a compound graph
 * whose clusters are the diagram's groups. Node boxes hold the icon and the wrapped label, edge
 * labels are laid out as boxes of their own, so neither ever overlaps a node. Each group gets a
 * header band for its corner icon and label, and is at least as wide as that header. Pure: the same
 * diagram always lays out the same way.
 */
export function layoutDiagram(diagram: Diagram): Layout {
  const first = place(diagram, new Set());
  // a group narrower than its label (a complement of one or two nodes named by a long title) is
  // laid out again with an invisible member as wide as the label, so the label never runs out
  const narrow = new Set(first.groups.filter((g) => g.width < groupLabelWidth(g.name)).map((g) => g.name));
  return fitted(narrow.size === 0 ? first : place(diagram, narrow));
}

/** Room a group's header needs across: corner icon, gap, label, margin. */
function groupLabelWidth(name: string): number {
  return SIZES.groupIcon + 8 + textWidth(name, SIZES.groupFont) + 8;
}

/** One dagre run: every node, edge label and group placed, groups in `titled` kept as wide as their label. */
function place(diagram: Diagram, titled: ReadonlySet<string>): Layout {
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  // nodesep and edgesep also set the room between a group's border and its members across the
  // ranks: (edgesep + nodesep) / 2, enough for the group's header band in a left-to-right picture
  graph.setGraph({ rankdir: diagram.direction, nodesep: 44, ranksep: 64, edgesep: 20, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  const groupIds = new Map(diagram.groups.map((g, i) => [g.name, `${GROUP_PREFIX}${i}`]));
  for (const [, id] of groupIds) graph.setNode(id, {});
  const sized = new Map<string, Omit<PlacedNode, "x" | "y">>();
  for (const node of diagram.nodes) {
    const lines = wrapText(node.label, SIZES.nodeText, SIZES.nodeFont);
    const textW = Math.max(...lines.map((l) => textWidth(l, SIZES.nodeFont)));
    const textH = lines.length * SIZES.nodeLine;
    const box = node.service !== undefined ? { width: Math.max(SIZES.icon, textW) + 8, height: SIZES.icon + 6 + textH + 4 } : { width: textW + 28, height: textH + 18 };
    sized.set(node.id, { id: node.id, label: node.label, lines, actor: node.service === undefined, ...(node.service ? { service: node.service } : {}), ...(node.group ? { group: node.group } : {}), ...box });
    graph.setNode(node.id, { width: box.width, height: box.height });
    if (node.group !== undefined) graph.setParent(node.id, groupIds.get(node.group)!);
  }
  diagram.groups.forEach((group, i) => {
    if (!titled.has(group.name)) return;
    const title = `${GROUP_PREFIX}${i}:title`;
    graph.setNode(title, { width: groupLabelWidth(group.name), height: 1 });
    graph.setParent(title, groupIds.get(group.name)!);
  });
  const edgeLines = diagram.edges.map((e) => (e.label ? wrapText(e.label, SIZES.edgeText, SIZES.edgeFont) : []));
  diagram.edges.forEach((edge, i) => {
    const lines = edgeLines[i]!;
    const label = lines.length > 0 ? { width: Math.max(...lines.map((l) => textWidth(l, SIZES.edgeFont))) + 8, height: lines.length * SIZES.edgeLine + 4, labelpos: "c" } : {};
    graph.setEdge(edge.from, edge.to, { ...label, minlen: 1 }, `e${i}`);
  });
  dagre.layout(graph);

  const nodes: PlacedNode[] = diagram.nodes.map((node) => {
    const placed = graph.node(node.id);
    const base = sized.get(node.id)!;
    const x = placed.x - base.width / 2;
    const y = placed.y - base.height / 2;
    return { ...base, x, y, ...(node.service !== undefined ? { icon: { x: placed.x - SIZES.icon / 2, y: y + 2, width: SIZES.icon, height: SIZES.icon } } : {}) };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: PlacedEdge[] = diagram.edges.map((edge, i) => {
    const placed = graph.edge(edge.from, edge.to, `e${i}`);
    const points = attach((placed.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })), byId.get(edge.from)!, byId.get(edge.to)!);
    const lines = edgeLines[i]!;
    const label = lines.length > 0 && placed.x !== undefined ? { text: edge.label!, lines, box: { x: placed.x - placed.width! / 2, y: placed.y! - placed.height! / 2, width: placed.width!, height: placed.height! } } : undefined;
    return { from: edge.from, to: edge.to, points, ...(label ? { label } : {}) };
  });
  const groups: PlacedGroup[] = diagram.groups.map((group) => {
    const placed = graph.node(groupIds.get(group.name)!);
    return { name: group.name, kind: group.kind, x: placed.x - placed.width / 2, y: placed.y - placed.height / 2, width: placed.width, height: placed.height };
  });
  return { width: graph.graph().width ?? 0, height: graph.graph().height ?? 0, nodes, edges, groups };
}

/**
 * Ends an edge on the icon of a service node rather than on the box around icon and label, unless
 * it would leave the icon through its bottom, across the label: then it ends below the label.
 */
function attach(points: Point[], from: PlacedNode, to: PlacedNode): Point[] {
  if (points.length < 2) return points;
  const end = (node: PlacedNode, toward: Point): Point => {
    if (node.icon === undefined) return clip(node, toward);
    const onIcon = clip(node.icon, toward);
    return onIcon.y >= node.icon.y + node.icon.height - 0.5 ? clip(node, toward) : onIcon;
  };
  const out = [...points];
  out[0] = end(from, out[1]!);
  out[out.length - 1] = end(to, out[out.length - 2]!);
  return out;
}

/** Where the line from a box's centre towards `toward` leaves the box. */
function clip(box: Box, toward: Point): Point {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const scale = Math.min(dx === 0 ? Infinity : box.width / 2 / Math.abs(dx), dy === 0 ? Infinity : box.height / 2 / Math.abs(dy));
  return { x: cx + dx * Math.min(scale, 1), y: cy + dy * Math.min(scale, 1) };
}

/**
 * Makes sure each group has room for its header band (corner icon and label) above its members,
 * growing it upwards where dagre left less, and moves everything so the picture starts at the
 * margin again, in whole pixels.
 */
function fitted(layout: Layout): Layout {
  const groups = layout.groups.map((g) => {
    const top = Math.min(...layout.nodes.filter((n) => n.group === g.name).map((n) => n.y));
    const short = Math.max(0, SIZES.groupHeader - (top - g.y));
    return { ...g, y: g.y - short, height: g.height + short };
  });
  const all: Box[] = [...layout.nodes, ...groups, ...layout.edges.flatMap((e) => (e.label ? [e.label.box] : []))];
  const xs = [...all.flatMap((b) => [b.x, b.x + b.width]), ...layout.edges.flatMap((e) => e.points.map((p) => p.x))];
  const ys = [...all.flatMap((b) => [b.y, b.y + b.height]), ...layout.edges.flatMap((e) => e.points.map((p) => p.y))];
  const margin = 20;
  const dx = margin - Math.min(...xs);
  const dy = margin - Math.min(...ys);
  const move = <T extends Box>(b: T): T => ({ ...b, x: round(b.x + dx), y: round(b.y + dy), width: round(b.width), height: round(b.height) });
  return {
    width: Math.ceil(Math.max(...xs) + dx + margin),
    height: Math.ceil(Math.max(...ys) + dy + margin),
    nodes: layout.nodes.map((n) => ({ ...move(n), ...(n.icon ? { icon: move(n.icon) } : {}) })),
    edges: layout.edges.map((e) => ({ ...e, points: e.points.map((p) => ({ x: round(p.x + dx), y: round(p.y + dy) })), ...(e.label ? { label: { ...e.label, box: move(e.label.box) } } : {}) })),
    groups: groups.map(move),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
