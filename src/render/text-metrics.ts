/**
 * Text widths without a browser, for laying pictures out before any renderer measures them.
 *
 * Advance widths of Arial (and the metric-compatible Liberation Sans and Helvetica) at 100 px, for
 * printable ASCII, as Chromium measures them. Anything else counts as a wide letter. Pictures name
 * `Arial, Helvetica, 'Liberation Sans', sans-serif`, and every width is padded by WIDTH_SLACK, so
 * a wider fallback font (DejaVu Sans runs about 8% wider) still fits the boxes laid out for it.
 */
const ADVANCE: Readonly<Record<string, number>> = {
  " ": 28, "!": 28, '"': 35, "#": 56, $: 56, "%": 89, "&": 67, "'": 19, "(": 33, ")": 33, "*": 39, "+": 58, ",": 28, "-": 33, ".": 28, "/": 28,
  "0": 56, "1": 56, "2": 56, "3": 56, "4": 56, "5": 56, "6": 56, "7": 56, "8": 56, "9": 56, ":": 28, ";": 28, "<": 58, "=": 58, ">": 58, "?": 56, "@": 102,
  A: 67, B: 67, C: 72, D: 72, E: 67, F: 61, G: 78, H: 72, I: 28, J: 50, K: 67, L: 56, M: 83, N: 72, O: 78, P: 67, Q: 78, R: 72, S: 67, T: 61, U: 72,
  V: 67, W: 94, X: 67, Y: 67, Z: 61, "[": 28, "\\": 28, "]": 28, "^": 47, _: 56, "`": 33,
  a: 56, b: 56, c: 50, d: 56, e: 56, f: 28, g: 56, h: 56, i: 22, j: 22, k: 50, l: 22, m: 83, n: 56, o: 56, p: 56, q: 56, r: 33, s: 50, t: 28, u: 56,
  v: 50, w: 72, x: 50, y: 50, z: 50, "{": 33, "|": 26, "}": 33, "~": 58,
};
const OTHER = 72;
/** Room for a wider fallback font than the one the table measures. */
export const WIDTH_SLACK = 1.1;

/** The width of one line of text at a font size, in px, with the slack for fallback fonts. */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += ADVANCE[ch] ?? OTHER;
  return (units / 100) * size * WIDTH_SLACK;
}

/** Breaks text into lines no wider than `max` px, at spaces; a word wider than a line on its own is cut. */
export function wrapText(text: string, max: number, size: number): string[] {
  const words = text.replace(/\s+/g, " ").trim().split(" ").flatMap((w) => splitLongWord(w, max, size));
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (line !== "" && textWidth(candidate, size) > max) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== "") lines.push(line);
  return lines.length > 0 ? lines : [""];
}

function splitLongWord(word: string, max: number, size: number): string[] {
  if (textWidth(word, size) <= max) return [word];
  const parts: string[] = [];
  let part = "";
  for (const ch of word) {
    if (part !== "" && textWidth(part + ch, size) > max) {
      parts.push(part);
      part = "";
    }
    part += ch;
  }
  if (part !== "") parts.push(part);
  return parts;
}
