import type { Pattern } from "../catalog/schema.ts";

/** The label drawn for a diagram node: its own label, else its service's name. */
export function nodeLabel(pattern: Pattern, nodeId: string): string {
  const node = pattern.diagram.nodes.find((n) => n.id === nodeId);
  if (!node) return nodeId;
  return node.label ?? pattern.services.find((s) => s.id === node.service)?.name ?? node.id;
}

/**
 * The diagram for a terminal: one line per edge, grouped by the node it leaves, in the order the
 * nodes are listed; nodes in a group carry the group's name.
 */
export function renderAsciiDiagram(pattern: Pattern): string {
  const lines: string[] = [];
  const named = (id: string) => {
    const group = pattern.diagram.nodes.find((n) => n.id === id)?.group;
    return group ? `${nodeLabel(pattern, id)} [${group}]` : nodeLabel(pattern, id);
  };
  for (const node of pattern.diagram.nodes) {
    const out = pattern.diagram.edges.filter((e) => e.from === node.id);
    if (out.length === 0) continue;
    const head = named(node.id);
    out.forEach((edge, i) => {
      const arrow = edge.label ? `──${edge.label}──►` : "──►";
      const lead = i === 0 ? head : " ".repeat(head.length);
      lines.push(`${lead} ${arrow} ${named(edge.to)}`);
    });
  }
  return lines.join("\n");
}
