/** The known word nearest to `word` by edit distance, if near enough to be a likely typo. */
export function suggest(word: string, known: readonly string[]): string | undefined {
  const target = word.toLowerCase();
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { word: candidate, distance };
  }
  if (!best) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.word.length) / 3));
  const prefix = best.word.toLowerCase().startsWith(target) || target.startsWith(best.word.toLowerCase());
  return best.distance <= limit || (prefix && target.length >= 3) ? best.word : undefined;
}

/** `; did you mean "x"?` or the empty string. */
export function didYouMean(word: string, known: readonly string[]): string {
  const match = suggest(word, known);
  return match === undefined ? "" : `; did you mean "${match}"?`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
