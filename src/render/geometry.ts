// What a laid-out picture is made of: shared by the layout (which needs the layout engine) and the
// renderers (which do not), so that loading a renderer never loads the engine.

/** Sizes every picture uses, in px: fixed, so pictures of different designs look alike side by side. */
export const SIZES = {
  icon: 48,
  nodeFont: 12,
  nodeLine: 15,
  /** widest a node's label runs before it wraps */
  nodeText: 132,
  edgeFont: 11,
  edgeLine: 13,
  edgeText: 124,
  groupFont: 12,
  /** the group's corner icon, and the band above its members that icon and label sit in */
  groupIcon: 24,
  groupHeader: 30,
} as const;

export type Point = { x: number; y: number };
/** A box by its top-left corner. */
export type Box = { x: number; y: number; width: number; height: number };
export type PlacedNode = Box & {
  id: string;
  /** the label, whole, and as the lines it is drawn in */
  label: string;
  lines: string[];
  actor: boolean;
  service?: string;
  group?: string;
  /** where the icon sits (service nodes) */
  icon?: Box;
};
export type PlacedEdge = { from: string; to: string; points: Point[]; label?: { text: string; lines: string[]; box: Box } };
export type PlacedGroup = Box & { name: string; kind: string };
/** A diagram with every node, edge and group given a place: what the SVG and draw.io renderers draw. */
export type Layout = { width: number; height: number; nodes: PlacedNode[]; edges: PlacedEdge[]; groups: PlacedGroup[] };
