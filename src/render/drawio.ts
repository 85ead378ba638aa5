import type { GroupLook, IconSet } from "../catalog/icon-set.ts";
import type { GroupKind } from "../catalog/values.ts";
import { SIZES, type Layout, type PlacedGroup, type PlacedNode } from "./geometry.ts";
import { escapeXml } from "./xml.ts";

/** Marks a draw.io file as written by aws-patterns, so a later run may replace it and no one else's file. */
export const DRAWIO_GENERATOR = 'host="aws-patterns"';

const TEXT = "#232F3E";
const POINTS = "points=[[0,0,0],[0.25,0,0],[0.5,0,0],[0.75,0,0],[1,0,0],[0,1,0],[0.25,1,0],[0.5,1,0],[0.75,1,0],[1,1,0],[0,0.25,0],[0,0.5,0],[0,0.75,0],[1,0.25,0],[1,0.5,0],[1,0.75,0]];";

/**
 * The laid-out diagram as an uncompressed draw.io file (mxGraph XML) that opens in diagrams.net
 * ready to edit: services as draw.io's own AWS shapes (mxgraph.aws4.resourceIcon), groups as its
 * AWS groups (mxgraph.aws4.group with the group's icon; plain boxes for kinds AWS draws without
 * one) holding their members as children, actors as rounded boxes, and every edge connected to its
 * two nodes with its label. Positions come from the same layout as the SVG. Pure: returns the text.
 */
export function renderDrawio(layout: Layout, icons: IconSet, title: string): string {
  // cell ids name what they draw (node:<diagram node id>), so a file can be traced back to the YAML
  const groupIds = new Map(layout.groups.map((g, i) => [g.name, `group:${i + 1}`]));
  const nodeIds = new Map(layout.nodes.map((n) => [n.id, `node:${n.id}`]));
  const groupsByName = new Map(layout.groups.map((g) => [g.name, g]));
  const cells = [
    `<mxCell id="0"/>`,
    `<mxCell id="1" parent="0"/>`,
    ...layout.groups.map((g) => groupCell(g, groupIds.get(g.name)!, icons.groups[g.kind as GroupKind] ?? icons.groups.generic)),
    ...layout.nodes.map((n) => nodeCell(n, nodeIds.get(n.id)!, n.group !== undefined ? { id: groupIds.get(n.group)!, box: groupsByName.get(n.group)! } : undefined, icons)),
    ...layout.edges.map(
      (e, i) =>
        `<mxCell id="edge:${i + 1}" value="${value(e.label?.text ?? "")}" style="edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=block;endFill=1;strokeColor=#545B64;fontColor=${TEXT};fontSize=${SIZES.edgeFont};labelBackgroundColor=#FFFFFF;" edge="1" parent="1" source="${escapeXml(nodeIds.get(e.from)!)}" target="${escapeXml(nodeIds.get(e.to)!)}"><mxGeometry relative="1" as="geometry"/></mxCell>`,
    ),
  ];
  return [
    `<mxfile ${DRAWIO_GENERATOR} type="device">`,
    `<diagram id="architecture" name="${escapeXml(title)}">`,
    `<mxGraphModel dx="${layout.width}" dy="${layout.height}" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="${Math.ceil(layout.width)}" pageHeight="${Math.ceil(layout.height)}" math="0" shadow="0">`,
    "<root>",
    ...cells,
    "</root>",
    "</mxGraphModel>",
    "</diagram>",
    "</mxfile>",
    "",
  ].join("\n");
}

function groupCell(group: PlacedGroup, id: string, look: GroupLook): string {
  const common = `fillColor=${look.fill ?? "none"};strokeColor=${look.stroke};fontColor=${look.text};dashed=${look.dashed ? 1 : 0};verticalAlign=top;fontSize=${SIZES.groupFont};html=1;whiteSpace=wrap;container=1;pointerEvents=0;collapsible=0;recursiveResize=0;`;
  const style = look.drawio !== undefined ? `${POINTS}outlineConnect=0;gradientColor=none;shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.${look.drawio};align=left;spacingLeft=30;${common}` : `rounded=0;align=left;spacingLeft=10;${common}`;
  return `<mxCell id="${escapeXml(id)}" value="${value(group.name)}" style="${style}" vertex="1" parent="1"><mxGeometry x="${group.x}" y="${group.y}" width="${group.width}" height="${group.height}" as="geometry"/></mxCell>`;
}

function nodeCell(node: PlacedNode, id: string, parent: { id: string; box: PlacedGroup } | undefined, icons: IconSet): string {
  const at = (x: number, y: number) => ({ x: round(x - (parent?.box.x ?? 0)), y: round(y - (parent?.box.y ?? 0)) });
  const look = node.service !== undefined ? icons.services[node.service] : undefined;
  const text = value(node.label);
  const parentId = escapeXml(parent?.id ?? "1");
  const cell = escapeXml(id);
  if (node.icon !== undefined) {
    const { x, y } = at(node.icon.x, node.icon.y);
    const shape = look
      ? `${POINTS}outlineConnect=0;fontColor=${TEXT};fillColor=${look.color};strokeColor=#ffffff;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;whiteSpace=wrap;fontSize=${SIZES.nodeFont};fontStyle=0;aspect=fixed;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.${look.drawio};`
      : `rounded=1;fillColor=#7D8998;strokeColor=none;fontColor=${TEXT};verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;whiteSpace=wrap;fontSize=${SIZES.nodeFont};`;
    return `<mxCell id="${cell}" value="${text}" style="${shape}" vertex="1" parent="${parentId}"><mxGeometry x="${x}" y="${y}" width="${SIZES.icon}" height="${SIZES.icon}" as="geometry"/></mxCell>`;
  }
  const { x, y } = at(node.x, node.y);
  return `<mxCell id="${cell}" value="${text}" style="rounded=1;arcSize=40;whiteSpace=wrap;html=1;fillColor=#F8F9FA;strokeColor=#7D8998;fontColor=${TEXT};fontSize=${SIZES.nodeFont};" vertex="1" parent="${parentId}"><mxGeometry x="${x}" y="${y}" width="${node.width}" height="${node.height}" as="geometry"/></mxCell>`;
}

/**
 * A label as draw.io reads a `value` with html=1: HTML-escaped text, written into an XML
 * attribute (so escaped twice). `a < b & c` stays text, never markup.
 */
function value(text: string): string {
  return escapeXml(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
