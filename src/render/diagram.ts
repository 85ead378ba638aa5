import type { Pattern } from "../catalog/schema.ts";
import type { GroupKind } from "../catalog/values.ts";

/** A drawable graph: what the Mermaid, ASCII, SVG and draw.io renderers take. */
export type DiagramNode = { id: string; label: string; group?: string; actor: boolean; from: string; service?: string };
/** A group the nodes name, and what it stands for (a Region, a VPC, or generic). */
export type DiagramGroup = { name: string; kind: GroupKind };
export type Diagram = {
  direction: "LR" | "TB";
  nodes: DiagramNode[];
  edges: { from: string; to: string; label?: string }[];
  /** every group a node is in, in the order first named */
  groups: DiagramGroup[];
};

/** The components table: every service drawn in the composed diagram, once per entry it comes from. */
export function componentsOf(diagram: Diagram, entries: readonly Pattern[]): { name: string; role: string; from: string; entry: string; service: string }[] {
  const drawn = new Set(diagram.nodes.filter((n) => n.service !== undefined).map((n) => `${n.from}/${n.service}`));
  return entries.flatMap((p, i) =>
    p.services.filter((s) => drawn.has(`${p.id}/${s.id}`)).map((s) => ({ name: s.name, role: s.role, from: i === 0 ? "" : p.title, entry: p.id, service: s.id })),
  );
}

/** One entry's diagram, with labels resolved from its services. */
export function diagramOf(pattern: Pattern): Diagram {
  const named = [...new Set(pattern.diagram.nodes.map((n) => n.group).filter((g): g is string => g !== undefined))];
  return {
    direction: pattern.diagram.direction,
    groups: named.map((name) => ({ name, kind: pattern.diagram.groups.find((g) => g.name === name)?.kind ?? "generic" })),
    nodes: pattern.diagram.nodes.map((node) => ({
      id: node.id,
      label: node.label ?? pattern.services.find((s) => s.id === node.service)?.name ?? node.id,
      ...(node.group ? { group: node.group } : {}),
      ...(node.service ? { service: node.service } : {}),
      actor: node.service === undefined,
      from: pattern.id,
    })),
    edges: pattern.diagram.edges.map((e) => ({ from: e.from, to: e.to, ...(e.label ? { label: e.label } : {}) })),
  };
}

/**
 * The primary's diagram with each complement attached where its YAML says. An attachment links one
 * of the complement's nodes to (or from) every primary node of the named tier; attachments whose
 * tier the primary lacks are dropped, and when none of a complement's attachments finds a tier, its
 * first one links to the primary's first service node. The nodes that end up linked join the
 * diagram, grouped under the complement's title, with the complement's own edges between them.
 */
export function composeDiagram(primary: Pattern, complements: readonly Pattern[]): Diagram {
  const diagram = diagramOf(primary);
  const firstService = primary.diagram.nodes.find((n) => n.service !== undefined);
  for (const complement of complements) {
    const prefix = `${complement.id}.`;
    let links = complement.diagram.attach.flatMap((a) =>
      primary.diagram.nodes
        .filter((n) => n.tier === a.tier && (a.services === undefined || (n.service !== undefined && a.services.includes(n.service))))
        .map((target) => ({ attachment: a, target: target.id })),
    );
    const first = complement.diagram.attach[0];
    if (links.length === 0 && first && firstService) links = [{ attachment: first, target: firstService.id }];
    const contributed = new Set(links.map((l) => l.attachment.node));
    if (contributed.size > 0 && !diagram.groups.some((g) => g.name === complement.title)) diagram.groups.push({ name: complement.title, kind: "generic" });
    for (const node of diagramOf(complement).nodes.filter((n) => contributed.has(n.id))) {
      diagram.nodes.push({ ...node, id: prefix + node.id, group: complement.title });
    }
    for (const edge of complement.diagram.edges.filter((e) => contributed.has(e.from) && contributed.has(e.to))) {
      diagram.edges.push({ ...edge, from: prefix + edge.from, to: prefix + edge.to });
    }
    for (const { attachment: a, target } of links) {
      const [from, to] = a.direction === "from" ? [target, prefix + a.node] : [prefix + a.node, target];
      diagram.edges.push({ from, to, ...(a.label ? { label: a.label } : {}) });
    }
  }
  return diagram;
}

/**
 * Mermaid flowchart source. Node ids are generated (n1, n2, ...) and every label is quoted with its
 * double quotes written as an entity, so no label can break the syntax; groups become subgraphs;
 * actors are drawn as stadiums, complements with a dashed border.
 */
export function renderMermaid(diagram: Diagram, primaryId?: string): string {
  const ids = new Map(diagram.nodes.map((node, i) => [node.id, `n${i + 1}`]));
  const quote = (text: string) => `"${text.replace(/"/g, "#quot;").replace(/[\r\n]+/g, " ")}"`;
  const shape = (node: DiagramNode) => (node.actor ? `${ids.get(node.id)}([${quote(node.label)}])` : `${ids.get(node.id)}[${quote(node.label)}]`);
  const lines = [`flowchart ${diagram.direction}`];
  const groups = [...new Set(diagram.nodes.map((n) => n.group).filter((g): g is string => g !== undefined))];
  for (const node of diagram.nodes.filter((n) => n.group === undefined)) lines.push(`  ${shape(node)}`);
  groups.forEach((group, i) => {
    lines.push(`  subgraph g${i + 1}[${quote(group)}]`);
    for (const node of diagram.nodes.filter((n) => n.group === group)) lines.push(`    ${shape(node)}`);
    lines.push("  end");
  });
  for (const edge of diagram.edges) {
    const label = edge.label ? `|${quote(edge.label)}|` : "";
    lines.push(`  ${ids.get(edge.from)} -->${label} ${ids.get(edge.to)}`);
  }
  const added = diagram.nodes.filter((n) => primaryId !== undefined && n.from !== primaryId).map((n) => ids.get(n.id));
  if (added.length > 0) {
    lines.push("  classDef complement stroke-dasharray: 5 3");
    lines.push(`  class ${added.join(",")} complement`);
  }
  return lines.join("\n");
}

/**
 * The diagram for a terminal: one line per edge, grouped by the node it leaves, in the order the
 * nodes are listed; a node in a group carries the group's name.
 */
export function renderAsciiDiagram(diagram: Diagram): string {
  const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
  const named = (id: string) => {
    const node = byId.get(id);
    return node?.group ? `${node.label} [${node.group}]` : (node?.label ?? id);
  };
  const lines: string[] = [];
  for (const node of diagram.nodes) {
    const out = diagram.edges.filter((e) => e.from === node.id);
    if (out.length === 0) continue;
    const head = named(node.id);
    out.forEach((edge, i) => {
      const arrow = edge.label ? `──${edge.label}──►` : "──►";
      lines.push(`${i === 0 ? head : " ".repeat(head.length)} ${arrow} ${named(edge.to)}`);
    });
  }
  return lines.join("\n");
}
