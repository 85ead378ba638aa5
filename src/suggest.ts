/**
 * The known word nearest to `word`, if near enough to be a likely typo: at most one edit (a
 * swap of two neighbours counts as one) for every three characters, and at least one; or a prefix
 * of at least three characters. "trafic" finds "traffic" and "nmae" finds "name", but "foo" finds
 * nothing rather than "rpo".
 */
export function suggest(word: string, known: readonly string[]): string | undefined {
  const target = word.toLowerCase();
  // beyond this length nothing known is a typo of it, and the distance would only cost time
  if (target.length > 100) return undefined;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { word: candidate, distance };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(target.length, best.word.length) / 3));
  const prefix = best.word.toLowerCase().startsWith(target) || target.startsWith(best.word.toLowerCase());
  return best.distance <= limit || (prefix && target.length >= 3) ? best.word : undefined;
}

/** `; did you mean "x"?` or the empty string. */
export function didYouMean(word: string, known: readonly string[]): string {
  const match = suggest(word, known);
  return match === undefined ? "" : `; did you mean "${match}"?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
