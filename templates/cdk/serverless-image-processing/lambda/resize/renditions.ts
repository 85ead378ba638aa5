import sharp from "sharp";

/** Output encodings: WebP (every browser) or AVIF (smaller files, slower to encode). */
export type Format = "webp" | "avif";

/** What uploads may be: the formats sharp decodes here and Rekognition accepts as the moderation copy. */
export const ACCEPTED_INPUTS: readonly string[] = ["jpeg", "png"];

/** Longest side of the JPEG copy Rekognition judges: well under its 5 MB limit for image bytes. */
export const MODERATION_SIZE = 1280;

/** Decoding stops above this many pixels (a 16,000 x 16,000 image), so a crafted upload cannot exhaust memory. */
const MAX_INPUT_PIXELS = 256_000_000;

export interface Rendition {
  readonly width: number;
  readonly height: number;
  readonly format: Format;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface Renditions {
  /** the upload as decoded, after EXIF orientation */
  readonly source: { readonly format: string; readonly width: number; readonly height: number };
  /** one per distinct width, narrowest first; an upload narrower than a width is not enlarged */
  readonly renditions: readonly Rendition[];
  /** a JPEG no larger than MODERATION_SIZE on its longest side, for Rekognition */
  readonly moderation: Buffer;
}

/** An upload this pipeline does not process: not an image, or not a format it accepts. */
export class RejectedImage extends Error {}

/**
 * Decodes an upload once and encodes it at each width (the height keeps the aspect ratio), plus the
 * moderation copy. EXIF orientation is applied and all metadata (camera, GPS position) is dropped.
 */
export async function makeRenditions(input: Uint8Array, options: { widths: readonly number[]; format: Format; quality?: number }): Promise<Renditions> {
  const image = sharp(input, { autoOrient: true, failOn: "error", limitInputPixels: MAX_INPUT_PIXELS });
  let metadata: sharp.Metadata;
  try {
    metadata = await image.metadata();
  } catch (error) {
    throw new RejectedImage(`not a readable image (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!ACCEPTED_INPUTS.includes(metadata.format)) throw new RejectedImage(`format ${metadata.format} is not one of ${ACCEPTED_INPUTS.join(", ")}`);
  const { width, height } = metadata.autoOrient;

  const quality = options.quality ?? (options.format === "avif" ? 50 : 80);
  const renditions: Rendition[] = [];
  for (const wanted of [...new Set(options.widths)].sort((a, b) => a - b)) {
    const target = Math.min(wanted, width);
    // an upload narrower than several widths yields one rendition at its own width, not copies of it
    if (renditions.some((r) => r.width === target)) continue;
    const resized = image.clone().resize({ width: target, withoutEnlargement: true });
    const encoded = options.format === "avif" ? resized.avif({ quality, effort: 4 }) : resized.webp({ quality, effort: 4 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    renditions.push({ width: info.width, height: info.height, format: options.format, contentType: `image/${options.format}`, data });
  }
  const moderation = await image
    .clone()
    .resize({ width: MODERATION_SIZE, height: MODERATION_SIZE, fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 85, mozjpeg: true })
    .toBuffer();
  return { source: { format: metadata.format, width, height }, renditions, moderation };
}
