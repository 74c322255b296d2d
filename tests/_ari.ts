/**
 * Adjusted Rand index of two labelings of the same items (Hubert and Arabie,
 * 1985): 1 for identical partitions up to renaming, about 0 for independent
 * ones. Noise (-1) counts as one more label, as in the reference results.
 */
export function adjustedRandIndex(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  if (a.length !== b.length) {
    throw new RangeError(
      `Cannot compare labelings of ${a.length} and ${b.length} items`,
    );
  }
  const n = a.length;

  // Contingency table of label pairs, and the two marginals.
  const pairCounts = new Map<string, number>();
  const countsA = new Map<number, number>();
  const countsB = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]} ${b[i]}`;
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
    countsA.set(a[i]!, (countsA.get(a[i]!) ?? 0) + 1);
    countsB.set(b[i]!, (countsB.get(b[i]!) ?? 0) + 1);
  }

  // Pairs of items placed together: in both labelings, in each, and by chance.
  const together = sumOfPairs(pairCounts.values());
  const togetherA = sumOfPairs(countsA.values());
  const togetherB = sumOfPairs(countsB.values());
  const expected = (togetherA * togetherB) / pairsOf(n);
  const maximum = (togetherA + togetherB) / 2;
  // Both labelings put every item alone, or every item together: identical partitions.
  if (maximum === expected) return 1;
  return (together - expected) / (maximum - expected);
}

function pairsOf(count: number): number {
  return (count * (count - 1)) / 2;
}

function sumOfPairs(counts: Iterable<number>): number {
  let sum = 0;
  for (const count of counts) sum += pairsOf(count);
  return sum;
}
