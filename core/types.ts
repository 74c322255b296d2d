/**
 * Shared value types of the numeric core. This module is a leaf: it imports
 * nothing, so every other part may depend on it without creating a cycle.
 */

/** Distance between two vectors. Cosine is 1 - cosine similarity. */
export type Metric = "euclidean" | "cosine";

/** Method by which HDBSCAN picks flat clusters from the condensed tree. */
export type SelectionMethod = "eom" | "leaf";

/** Row-major matrix of `n` vectors of `dim` components each. */
export interface Vectors {
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
}

/**
 * Graph of the `k` nearest other points of each point, sorted by distance.
 * Row `i` occupies `[i * k, (i + 1) * k)`. Unused slots hold index -1 and
 * distance Infinity (only when n - 1 < k).
 */
export interface KnnGraph {
  readonly n: number;
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float64Array;
  readonly metric: Metric;
}

/** Parameters of HDBSCAN, named after the reference Python library. */
export interface HdbscanOptions {
  minClusterSize: number;
  /** Defaults to `minClusterSize`. */
  minSamples?: number;
  clusterSelectionMethod: SelectionMethod;
  clusterSelectionEpsilon: number;
  allowSingleCluster: boolean;
  metric: Metric;
}

/**
 * Condensed cluster tree as parallel arrays, one entry per edge. Points are
 * numbered 0..n-1 and clusters from n (the root) upward, as in the reference
 * library; lambda is 1 / distance.
 */
export interface CondensedTree {
  readonly parent: Int32Array;
  readonly child: Int32Array;
  readonly lambda: Float64Array;
  readonly childSize: Int32Array;
}

/** Per-row output of HDBSCAN plus the intermediate results that tests check. */
export interface HdbscanResult {
  /** Cluster label per row, -1 for noise, numbered 0.. in tree order. */
  readonly labels: Int32Array;
  /** Membership probability per row in [0, 1]; 0 for noise. */
  readonly probabilities: Float64Array;
  /** GLOSH outlier score per row in [0, 1]. */
  readonly outlierScores: Float64Array;
  /** Distance to the min_samples-th nearest other point. */
  readonly coreDistances: Float64Array;
  /** Minimum spanning tree of mutual reachability, n - 1 edges. */
  readonly mst: {
    readonly from: Int32Array;
    readonly to: Int32Array;
    readonly weight: Float64Array;
  };
  readonly condensedTree: CondensedTree;
  /** Condensed-tree node id of each selected cluster, indexed by label. */
  readonly selectedClusters: Int32Array;
}

/** A 2-D layout, row-major `n x 2`. */
export interface Layout {
  readonly n: number;
  readonly coordinates: Float32Array;
}

/** Seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Receives progress of long work as a fraction in [0, 1] and a stage name. */
export type ProgressCallback = (fraction: number, stage: string) => void;
