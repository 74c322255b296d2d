/** Cluster sizes and row selections computed from HDBSCAN labels. */

import { formatCount } from "./format.ts";
import { NOISE_LABEL } from "./palette.ts";

/** Row count of one cluster label. Label -1 counts the noise rows. */
export interface ClusterSize {
  readonly label: number;
  readonly count: number;
}

/**
 * Counts the rows of each label, ordered by label with noise last.
 *
 * @throws {RangeError} when a label is below -1.
 */
export function countClusterSizes(labels: Int32Array): ClusterSize[] {
  const counts = new Map<number, number>();
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row]!;
    if (label < NOISE_LABEL) {
      throw new RangeError(
        `Cannot count cluster sizes: row ${row} has label ${label}; expected -1 (noise) or a cluster label of at least 0.`,
      );
    }
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return sortClusterSizes(
    Array.from(counts, ([label, count]) => ({ label, count })),
  );
}

/** Orders cluster sizes by label, with noise last. */
export function sortClusterSizes(
  sizes: readonly ClusterSize[],
): ClusterSize[] {
  return [...sizes].sort((a, b) => {
    if (a.label === NOISE_LABEL) return b.label === NOISE_LABEL ? 0 : 1;
    if (b.label === NOISE_LABEL) return -1;
    return a.label - b.label;
  });
}

/**
 * Returns a row mask with 1 for the rows that carry `label`, the `selection`
 * that `renderHistogram` and `renderTopValues` take.
 *
 * @example
 * ```ts
 * import { clusterMask } from "./clusters.ts";
 * clusterMask(new Int32Array([0, -1, 0]), 0); // Uint8Array [1, 0, 1]
 * ```
 */
export function clusterMask(labels: Int32Array, label: number): Uint8Array {
  const mask = new Uint8Array(labels.length);
  for (let row = 0; row < labels.length; row++) {
    if (labels[row] === label) mask[row] = 1;
  }
  return mask;
}

/** Note for a clustering in which every row is noise. */
export function allNoiseNote(rows: number, minClusterSize?: number): string {
  const setting = minClusterSize === undefined
    ? "min_cluster_size"
    : `min_cluster_size (${minClusterSize})`;
  const subject = rows === 1
    ? "the only row is"
    : `all ${formatCount(rows)} rows are`;
  return `No cluster reached ${setting}, so ${subject} noise.`;
}
