import type { Diagram } from "../render/diagram.ts";
import type { PictureFormat } from "../render/picture.ts";

/**
 * A diagram drawn as pictures, with the icons of the built-in table and of any --patterns folder.
 * The icon table and the layout engine are loaded here, lazily, so only commands drawing pictures
 * pay for them. A service no table maps is drawn as a plain tile, and stderr says which.
 */
export async function drawPictures(diagram: Diagram, title: string, patterns: readonly string[], formats: readonly PictureFormat[]): Promise<Map<PictureFormat, string>> {
  const [{ loadIcons }, { renderPictures, servicesWithoutIcon }] = await Promise.all([import("../catalog/load-icons.ts"), import("../render/picture.ts")]);
  const icons = await loadIcons(patterns);
  const missing = servicesWithoutIcon(diagram, icons);
  if (missing.length > 0) process.stderr.write(`aws-patterns: no icon for ${missing.join(", ")}; drawn as plain tiles (map them in _icons.yaml in your --patterns folder)\n`);
  return renderPictures(diagram, icons, title, formats);
}
