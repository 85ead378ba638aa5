import { GROUP_KINDS, type GroupKind } from "./values.ts";

/** An icon ready to draw: the inside of an SVG file and the viewBox it was drawn in. */
export type Icon = { viewBox: string; body: string; color?: string | undefined };
/** How one service is drawn: its icon in SVG, its shape in draw.io (mxgraph.aws4.<drawio>) and the tile colour there. */
export type ServiceLook = { icon: Icon; drawio: string; color: string };
/** How one kind of group is drawn, as in AWS's group set. */
export type GroupLook = { stroke: string; dark?: string | undefined; fill?: string | undefined; text: string; dashed: boolean; icon?: Icon | undefined; drawio?: string | undefined };
/** Everything the picture renderers need besides the graph: pure data, loaded by load-icons.ts. */
export type IconSet = { services: Readonly<Record<string, ServiceLook>>; groups: Readonly<Record<GroupKind, GroupLook>> };

/** The name of the icon table in a patterns folder (built-in or given by --patterns). */
export const ICON_TABLE_FILE = "_icons.yaml";

/**
 * The icon table as the build writes it (dist/icons.json) and as a folder's _icons.yaml is read:
 * services and groups name their icon by key, and `icons` holds each icon once.
 */
export type CompiledIcons = {
  services: Record<string, { icon: string; drawio: string; color: string }>;
  groups: Partial<Record<GroupKind, Omit<GroupLook, "icon"> & { icon?: string | undefined }>>;
  icons: Record<string, Icon>;
};

/** The icon set of one or more compiled tables, later ones winning by service id and group kind. */
export function iconSetOf(tables: readonly CompiledIcons[]): { set: IconSet; missingGroups: GroupKind[] } {
  const services: Record<string, ServiceLook> = {};
  const groups: Partial<Record<GroupKind, GroupLook>> = {};
  for (const table of tables) {
    for (const [id, s] of Object.entries(table.services)) services[id] = { icon: table.icons[s.icon]!, drawio: s.drawio, color: s.color };
    for (const [kind, g] of Object.entries(table.groups) as [GroupKind, CompiledIcons["groups"][GroupKind]][]) {
      if (g === undefined) continue;
      const { icon, ...look } = g;
      groups[kind] = { ...look, ...(icon !== undefined ? { icon: table.icons[icon]! } : {}) };
    }
  }
  return { set: { services, groups: groups as Record<GroupKind, GroupLook> }, missingGroups: GROUP_KINDS.filter((k) => groups[k] === undefined) };
}

/**
 * The inside of an SVG icon file: its viewBox and body, with the title dropped and ids made unique
 * to this icon (`prefix`), so that icons sharing an id (a clip path "a") can sit in one picture.
 * Scripts, event handlers and foreign content are refused: an icon is drawn, never run.
 */
export function parseSvgIcon(text: string, prefix: string): Icon | string {
  const cleaned = text.replace(/<\?xml[^>]*\?>/g, "").replace(/<!--[\s\S]*?-->/g, "").replace(/<!DOCTYPE[^>]*>/gi, "").trim();
  const root = /^<svg\b([^>]*)>([\s\S]*)<\/svg>$/.exec(cleaned);
  if (!root) return "is not an SVG file (expected an <svg> root element)";
  const viewBox = /\bviewBox="([-\d.\s,]+)"/.exec(root[1]!)?.[1];
  if (viewBox === undefined) return "has no viewBox on its <svg> element";
  const body = root[2]!.replace(/<title>[\s\S]*?<\/title>/g, "").trim();
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(body)) return "holds a script, an event handler or foreign content";
  const unique = body
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`);
  // AWS icons draw their square tile first, in their category's colour: draw.io's tile takes it.
  // The drawing itself is kept as it is (AWS's terms allow no derivative icons), only scaled.
  const tile = /<path fill="(#[0-9a-fA-F]{3,6})" d="M\d+ \d+h\d+v\d+H\d+z"\/>/.exec(unique);
  return { viewBox: viewBox.trim(), body: unique, ...(tile ? { color: tile[1]!.toUpperCase() } : {}) };
}
