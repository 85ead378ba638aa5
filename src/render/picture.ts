import type { IconSet } from "../catalog/icon-set.ts";
import type { Diagram } from "./diagram.ts";
import { renderDrawio } from "./drawio.ts";
import { layoutDiagram } from "./layout.ts";
import { renderSvg } from "./svg.ts";

export type PictureFormat = "svg" | "drawio";

/**
 * A diagram as picture files' text, laid out once for every format asked: the SVG and the draw.io
 * file of one design always agree. This module loads the layout engine; commands import it lazily,
 * so nothing else pays for it.
 */
export function renderPictures(diagram: Diagram, icons: IconSet, title: string, formats: readonly PictureFormat[]): Map<PictureFormat, string> {
  const layout = layoutDiagram(diagram);
  return new Map(formats.map((f) => [f, f === "svg" ? renderSvg(layout, icons, title) : renderDrawio(layout, icons, title)]));
}

/** The services of a diagram that the icon set has no icon for (an org catalog's own services), each once. */
export function servicesWithoutIcon(diagram: Diagram, icons: IconSet): string[] {
  return [...new Set(diagram.nodes.map((n) => n.service).filter((s): s is string => s !== undefined && icons.services[s] === undefined))];
}
