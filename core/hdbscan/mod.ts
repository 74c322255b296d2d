/**
 * HDBSCAN following the reference Python library hdbscan 0.8.40
 * (scikit-learn-contrib) with alpha = 1 and an exact minimum spanning tree,
 * or a close approximation of it when the caller passes an approximate
 * neighbour graph. One file per step: core distances, spanning tree of
 * mutual reachability, single-linkage tree, condensed tree, cluster
 * selection, labels with probabilities, and GLOSH outlier scores.
 */

import { prepareRows } from "../distance.ts";
import { InputError } from "../errors.ts";
import { isApproximate, validateVectors } from "../knn/builder.ts";
import { buildCellIndex, buildTreeCellIndex } from "../knn/cells.ts";
import { cellIndexOf, knnFromCellIndex } from "../knn/exact.ts";
import type {
  HdbscanOptions,
  HdbscanResult,
  KnnGraph,
  Metric,
  ProgressCallback,
  Vectors,
} from "../types.ts";
import { tabulateClusters } from "./clusters.ts";
import { condenseTree } from "./condensed_tree.ts";
import { coreDistancesFromKnn } from "./core_distances.ts";
import { assignMembership } from "./labels.ts";
import { resolveOptions } from "./options.ts";
import { outlierScores } from "./outlier_scores.ts";
import { selectClusters } from "./select.ts";
import { singleLinkage } from "./single_linkage.ts";
import { graphForest } from "./graph_forest.ts";
import {
  mutualReachabilityTree,
  type SpanningTree,
  treeFromForest,
} from "./spanning_tree.ts";

export type { SpanningTree } from "./spanning_tree.ts";

/**
 * Clusters the rows of `vectors` with HDBSCAN.
 *
 * Core distances count only other points: the core distance of a point is
 * its distance to its min_samples-th nearest other point. min_samples
 * defaults to min_cluster_size and is clamped to n - 1 (at least 1). When
 * `knn` is given with k >= min_samples, its distances are the core distances
 * and its edges seed the spanning tree. Otherwise an exact graph is built.
 * With an exact graph of up to {@link EXACT_TREE_MAX_ROWS} rows the result
 * is exact. With an approximate one (see `isApproximate` in
 * core/knn/builder.ts), a core distance is too large where the graph missed
 * a neighbour. With either kind of graph above that size, the spanning tree
 * is the graph's own minimum spanning forest, joined exactly where the graph
 * leaves several components.
 * Progress goes to `onProgress` with the stages "neighbours",
 * "spanning tree" and "clusters".
 *
 * Degenerate input gives a result, not an error. One row is noise with core
 * distance Infinity, because it has no other point. Fewer rows than
 * min_cluster_size are all noise. Identical rows always share a label.
 *
 * @example
 * ```ts
 * import { hdbscan } from "./mod.ts";
 * const data = Float32Array.from([0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10]);
 * const result = hdbscan({ data, n: 6, dim: 2 }, {
 *   minClusterSize: 3,
 *   minSamples: 2,
 *   clusterSelectionMethod: "eom",
 *   clusterSelectionEpsilon: 0,
 *   allowSingleCluster: false,
 *   metric: "euclidean",
 * });
 * // result.labels: [0, 0, 0, 1, 1, 1]
 * ```
 *
 * @throws {InputError} for zero rows, malformed vectors, non-finite values or invalid options.
 * @throws {RangeError} when `knn` was built for other rows or another metric.
 */
export function hdbscan(
  vectors: Vectors,
  options: HdbscanOptions,
  knn?: KnnGraph,
  onProgress?: ProgressCallback,
): HdbscanResult {
  validateVectors(vectors);
  if (vectors.n === 0) {
    throw new InputError(
      "Cannot cluster a table with 0 rows: HDBSCAN needs at least one row",
    );
  }
  const { metric, minSamples } = resolveOptions(options, vectors.n);
  const reachability = mutualReachability(
    vectors,
    metric,
    minSamples,
    knn,
    onProgress,
  );
  const result = clustersFromReachability(reachability, options);
  onProgress?.(1, "clusters");
  return result;
}

/**
 * Largest table whose given exact graph gets the exact spanning tree. Above
 * it the tree comes from the graph's edges: on 50,000 rows (k = 50) the
 * exact tree took 8.3 s, the graph's 0.1 s to 0.5 s (docs/BENCHMARKS.md).
 * NOTE: such a tree can miss an edge of the exact one whose two ends are
 * not among each other's k nearest rows.
 */
export const EXACT_TREE_MAX_ROWS = 20_000;

/** Core distances and the spanning tree of mutual reachability built from them. */
export interface MutualReachability {
  readonly n: number;
  readonly metric: Metric;
  readonly minSamples: number;
  readonly coreDistances: Float64Array;
  readonly mst: SpanningTree;
}

/**
 * Computes the expensive half of {@link hdbscan}: core distances for
 * `minSamples` (clamped to [1, n - 1]) and the minimum spanning tree of
 * mutual reachability, exact for an exact `knn` of up to
 * {@link EXACT_TREE_MAX_ROWS} rows (see {@link hdbscan}). It depends only on the vectors, the metric and min_samples,
 * so one result serves every min_cluster_size, selection method and epsilon
 * through {@link clustersFromReachability}.
 *
 * @throws {InputError} for zero rows, malformed vectors, non-finite values or an invalid min_samples.
 * @throws {RangeError} when `knn` was built for other rows or another metric.
 */
export function mutualReachability(
  vectors: Vectors,
  metric: Metric,
  minSamples: number,
  knn?: KnnGraph,
  onProgress?: ProgressCallback,
): MutualReachability {
  validateVectors(vectors);
  const { n } = vectors;
  if (n === 0) {
    throw new InputError(
      "Cannot cluster a table with 0 rows: HDBSCAN needs at least one row",
    );
  }
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new InputError(
      `Invalid min_samples ${minSamples}: use an integer >= 1`,
      {
        status: 400,
      },
    );
  }
  if (knn !== undefined) requireMatchingGraph(knn, n, metric);
  const samples = Math.max(1, Math.min(minSamples, n - 1));

  // Core distances and tree from the given graph when it reaches far enough.
  if (knn !== undefined && knn.k >= samples) {
    const coreDistances = coreDistancesFromKnn(knn, samples);
    const progress = scaled(onProgress, 0.3, 0.95);
    const mst = isApproximate(knn) || n > EXACT_TREE_MAX_ROWS
      ? approximateTree(vectors, metric, coreDistances, knn, progress)
      : mutualReachabilityTree(
        cellIndexOf(knn) ?? buildCellIndex(prepareRows(vectors, metric)),
        coreDistances,
        metric,
        knn,
        progress,
      );
    return { n, metric, minSamples: samples, coreDistances, mst };
  }

  // Otherwise an exact graph of min_samples neighbours over the same index.
  const index = buildCellIndex(prepareRows(vectors, metric));
  const graph = knnFromCellIndex(
    index,
    samples,
    metric,
    scaled(onProgress, 0, 0.3),
  );
  const coreDistances = coreDistancesFromKnn(graph, samples);
  const mst = mutualReachabilityTree(
    index,
    coreDistances,
    metric,
    graph,
    scaled(onProgress, 0.3, 0.95),
  );
  return { n, metric, minSamples: samples, coreDistances, mst };
}

/**
 * Computes the cheap half of {@link hdbscan}: hierarchy, flat clusters and
 * scores from a {@link MutualReachability} built with the same metric and
 * min_samples as `options` request.
 *
 * @throws {InputError} (status 400) for invalid options.
 * @throws {RangeError} when `reachability` was built for another metric or min_samples.
 */
export function clustersFromReachability(
  reachability: MutualReachability,
  options: HdbscanOptions,
): HdbscanResult {
  const { n, coreDistances, mst } = reachability;
  const resolved = resolveOptions(options, n);
  if (
    resolved.metric !== reachability.metric ||
    resolved.minSamples !== reachability.minSamples
  ) {
    throw new RangeError(
      `Cannot cluster a ${reachability.metric} tree for min_samples ${reachability.minSamples} with ${resolved.metric} and min_samples ${resolved.minSamples}: build it with the same options`,
    );
  }

  // Hierarchy, then flat clusters and per-point scores.
  const condensedTree = condenseTree(
    singleLinkage(mst, n),
    n,
    resolved.minClusterSize,
  );
  const table = tabulateClusters(condensedTree, n);
  const selected = selectClusters(table, resolved);
  const { labels, probabilities } = assignMembership(
    condensedTree,
    table,
    selected,
    resolved,
  );
  return {
    labels,
    probabilities,
    outlierScores: outlierScores(condensedTree, table),
    coreDistances,
    mst,
    condensedTree,
    selectedClusters: selected.map((cluster) => cluster + n),
  };
}

/**
 * Builds the spanning tree for an approximate neighbour graph: the minimum
 * spanning forest of the graph's own edges, then, only if the graph leaves
 * several components, the exact search over a cell index to join them.
 * Within a component the forest may miss a lighter edge to a neighbour the
 * graph missed, which is the approximation.
 */
function approximateTree(
  vectors: Vectors,
  metric: Metric,
  coreDistances: Float64Array,
  knn: KnnGraph,
  onProgress?: ProgressCallback,
): SpanningTree {
  const forest = graphForest(knn, coreDistances);
  if (forest.components <= 1) return treeFromForest(forest);

  // Tree cells build in O(n log n), where k-means cells would cost more
  // than the whole search on a large table.
  const rows = prepareRows(vectors, metric);
  return mutualReachabilityTree(
    buildTreeCellIndex(rows, Math.max(16, Math.round(Math.sqrt(rows.n))), 1),
    coreDistances,
    metric,
    knn,
    onProgress,
    forest,
  );
}

function requireMatchingGraph(knn: KnnGraph, n: number, metric: string): void {
  if (knn.n !== n) {
    throw new RangeError(
      `Cannot use a neighbour graph of ${knn.n} rows for ${n} rows: build it from the same vectors`,
    );
  }
  if (knn.metric !== metric) {
    throw new RangeError(
      `Cannot use a ${knn.metric} neighbour graph for ${metric} clustering: build it with the same metric`,
    );
  }
}

/** Maps a stage's progress in [0, 1] onto [from, to] of the whole run. */
function scaled(
  onProgress: ProgressCallback | undefined,
  from: number,
  to: number,
): ProgressCallback | undefined {
  if (onProgress === undefined) return undefined;
  return (fraction, stage) => onProgress(from + fraction * (to - from), stage);
}
