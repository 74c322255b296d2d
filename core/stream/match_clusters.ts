/** Fate of one cluster id across a refit. */
export interface IdMapping {
  /** Stable id after the refit, or null when the old cluster is gone. */
  id: number | null;
  /** Stable ids before the refit whose members it took, empty for a new cluster. */
  from: number[];
  kind: "kept" | "split" | "merged" | "new" | "gone";
  size: number;
}

/** Stable ids for a new fit's clusters, and how they relate to the old ones. */
export interface ClusterMatch {
  /** Stable id of each new fit label (index = fit label). */
  stableIds: Int32Array;
  mappings: IdMapping[];
  nextId: number;
}

/**
 * Share of a cluster that another must hold to count as related: below it,
 * a few rows changing sides do not make a split or a merge.
 */
const RELATED_SHARE = 0.2;

/**
 * Matches the clusters of a refit to the previous clusters by shared members,
 * so ids stay stable. `oldIds` contains the stable id (or -1) of each of the
 * first `oldIds.length` rows before the refit; `newLabels` the refit's labels
 * of all rows. A new cluster and an old one are related when their overlap is
 * at least a fifth of either. A new cluster keeps an old id only when the two
 * are related to each other alone. A new cluster related to several old ones
 * is a merge, and new clusters from an old one related to several are a
 * split. Both get fresh ids from `nextId`.
 */
export function matchClusters(
  oldIds: Int32Array,
  newLabels: Int32Array,
  newClusterCount: number,
  nextId: number,
): ClusterMatch {
  // Overlap counts, keyed by old id then new label.
  const overlap = new Map<number, Map<number, number>>();
  const oldSizes = new Map<number, number>();
  const newSizes = new Int32Array(newClusterCount);
  for (let i = 0; i < newLabels.length; i++) {
    const label = newLabels[i]!;
    if (label >= 0) newSizes[label]!++;
  }
  for (let i = 0; i < oldIds.length; i++) {
    const id = oldIds[i]!;
    if (id < 0) continue;
    oldSizes.set(id, (oldSizes.get(id) ?? 0) + 1);
    const label = newLabels[i]!;
    if (label < 0) continue;
    let row = overlap.get(id);
    if (!row) overlap.set(id, row = new Map());
    row.set(label, (row.get(label) ?? 0) + 1);
  }

  // Related pairs in both directions.
  const oldPartners = new Map<number, number[]>();
  const newPartners: number[][] = Array.from(
    { length: newClusterCount },
    () => [],
  );
  for (const [id, row] of [...overlap].sort((a, b) => a[0] - b[0])) {
    for (const [label, shared] of [...row].sort((a, b) => a[0] - b[0])) {
      if (
        shared < RELATED_SHARE * oldSizes.get(id)! &&
        shared < RELATED_SHARE * newSizes[label]!
      ) continue;
      if (!oldPartners.has(id)) oldPartners.set(id, []);
      oldPartners.get(id)!.push(label);
      newPartners[label]!.push(id);
    }
  }

  // One-to-one pairs keep their id; everything else gets a fresh one.
  const stableIds = new Int32Array(newClusterCount);
  const mappings: IdMapping[] = [];
  for (let label = 0; label < newClusterCount; label++) {
    const partners = newPartners[label]!;
    const only = partners.length === 1 ? partners[0]! : -1;
    if (only >= 0 && oldPartners.get(only)!.length === 1) {
      stableIds[label] = only;
      mappings.push({
        id: only,
        from: [only],
        kind: "kept",
        size: newSizes[label]!,
      });
      continue;
    }
    stableIds[label] = nextId++;
    const kind = partners.length === 0
      ? "new"
      : partners.length > 1
      ? "merged"
      : "split";
    mappings.push({
      id: stableIds[label]!,
      from: partners,
      kind,
      size: newSizes[label]!,
    });
  }

  // Old clusters with no related new cluster are gone.
  for (const id of [...oldSizes.keys()].sort((a, b) => a - b)) {
    if (!oldPartners.has(id)) {
      mappings.push({ id: null, from: [id], kind: "gone", size: 0 });
    }
  }
  return { stableIds, mappings, nextId };
}
