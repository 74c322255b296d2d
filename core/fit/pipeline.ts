import { adaptiveKnn } from "../knn/mod.ts";
import { hdbscan } from "../hdbscan/mod.ts";
import { startUmapLayout } from "../umap/mod.ts";
import type { CondensedTree, ProgressCallback, Vectors } from "../types.ts";
import type { FitParams } from "./params.ts";

/** The per-row results of one fit, all in input row order, and the model behind them. */
export interface FitResult {
  readonly n: number;
  /** Cluster label per row, 0.. in tree order, -1 for noise. */
  readonly labels: Int32Array;
  readonly probabilities: Float64Array;
  readonly outlierScores: Float64Array;
  /** Row-major n x 2, or null when the projection was turned off. */
  readonly layout: Float32Array | null;
  readonly clusterCount: number;
  /** Model parts that placing new rows needs: core distances, the condensed tree and the selected clusters. */
  readonly model: {
    readonly minSamples: number;
    readonly coreDistances: Float64Array;
    readonly condensedTree: CondensedTree;
    readonly selectedClusters: Int32Array;
  };
  /** Milliseconds spent in each stage. */
  readonly timings: { knn: number; hdbscan: number; umap: number };
}

/** Options of one fit beyond its parameters. */
export interface FitOptions {
  /** Start layout (row-major n x 2), such as the previous model's positions, so a refit does not jump. */
  initialLayout?: Float32Array;
  onProgress?: ProgressCallback;
}

/**
 * Clusters and projects `vectors`: one neighbour graph, shared by HDBSCAN's
 * core distances and UMAP's fuzzy graph, then both models. Progress goes to
 * `onProgress` as a fraction of the whole fit with the current stage.
 */
export function fitModel(
  vectors: Vectors,
  params: FitParams,
  options: FitOptions = {},
): FitResult {
  const { n } = vectors;
  const onProgress = options.onProgress ?? (() => {});
  const minSamples = Math.max(
    1,
    Math.min(params.hdbscan.minSamples ?? params.hdbscan.minClusterSize, n - 1),
  );
  const clusteringEnd = params.umap.enabled ? 0.6 : 1;

  // One graph large enough for both consumers: exact for small tables,
  // NN-descent above EXACT_KNN_MAX_ROWS (core/knn/adaptive.ts).
  const k = Math.max(
    0,
    Math.min(n - 1, Math.max(minSamples, params.umap.nNeighbors - 1)),
  );
  let start = performance.now();
  const knn = adaptiveKnn(
    vectors,
    k,
    params.hdbscan.metric,
    (f) => onProgress(f * 0.3, "neighbours"),
  );
  const knnTime = performance.now() - start;

  // UMAP's graph and start layout first. The start layout is computed on a
  // helper thread, where one is allowed, while HDBSCAN runs here.
  start = performance.now();
  const pendingLayout = params.umap.enabled
    ? startUmapLayout(knn, {
      nNeighbors: params.umap.nNeighbors,
      minDist: params.umap.minDist,
      spread: 1,
      seed: params.umap.seed,
      initial: options.initialLayout,
      onProgress: (f) => onProgress(0.6 + f * 0.4, "layout"),
    })
    : null;
  let umapTime = performance.now() - start;

  start = performance.now();
  const clusters = hdbscan(
    vectors,
    params.hdbscan,
    knn,
    (f) => onProgress(0.3 + f * (clusteringEnd - 0.3), "clustering"),
  );
  const hdbscanTime = performance.now() - start;

  start = performance.now();
  const layout = pendingLayout?.finish().coordinates ?? null;
  umapTime += performance.now() - start;
  onProgress(1, "done");

  return {
    n,
    labels: clusters.labels,
    probabilities: clusters.probabilities,
    outlierScores: clusters.outlierScores,
    layout,
    clusterCount: clusters.selectedClusters.length,
    model: {
      minSamples,
      coreDistances: clusters.coreDistances,
      condensedTree: clusters.condensedTree,
      selectedClusters: clusters.selectedClusters,
    },
    timings: { knn: knnTime, hdbscan: hdbscanTime, umap: umapTime },
  };
}
