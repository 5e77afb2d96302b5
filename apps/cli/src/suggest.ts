/**
 * "Did you mean" suggestions for mistyped commands and flags.
 *
 * @packageDocumentation
 */

/**
 * The optimal-string-alignment edit distance between `a` and `b`: the fewest insertions,
 * deletions, substitutions and transpositions of adjacent characters (a typo like `trian` for
 * `train` costs 1).
 *
 * @example
 * ```ts
 * editDistance('kitten', 'sitting'); // => 3
 * ```
 */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d = new Array<number>((a.length + 1) * cols).fill(0);
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[a.length * cols + b.length]!;
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo (at most a
 * third of the input's length in edits, at least 1 and at most 3), or else the only candidate
 * that `input` (3 characters or more) is a prefix of.
 *
 * @example
 * ```ts
 * closestMatch('linalg-inf', ['linalg-info', 'train']); // => "linalg-info"
 * ```
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  if (bestDistance <= limit) return best;
  const prefixed = input.length >= 3 ? candidates.filter((c) => c.startsWith(input)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
