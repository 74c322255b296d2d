import type { KnnGraph, Metric, ProgressCallback, Vectors } from "../types.ts";
import { exactKnn } from "./exact.ts";
import { nnDescentKnn } from "./nn_descent.ts";

/**
 * Maximum rows of a table that gets the exact graph. Measured on
 * 32-dimensional embeddings at k = 15 (docs/BENCHMARKS.md, "Fit
 * performance"), the exact search with its helper thread is faster than
 * NN-descent at 10,000 rows, as fast at 20,000 and 1.3 to 1.5 times slower
 * at 50,000. On one thread (the server on two cores) it took 1.3 s against
 * 0.9 s at 20,000 rows. Up to here exactness costs little, and HDBSCAN's
 * results stay those of the exact algorithm.
 */
export const EXACT_KNN_MAX_ROWS = 20_000;

/**
 * Smallest k that gets the exact graph at any size. NN-descent's joins grow
 * with k squared, while the exact search hardly depends on k. On perf_50k
 * (50,000 x 32) NN-descent took 2.9 s against 4.6 s at k = 15, but 13.3 s
 * against 5.0 s at k = 50. At k = 500, the min_cluster_size of a typical
 * notebook, the exact search took 8.4 s and NN-descent about 189 s
 * (docs/BENCHMARKS.md, "kNN at large k").
 */
export const EXACT_KNN_MIN_K = 32;

/**
 * Builds the exact graph for tables of up to {@link EXACT_KNN_MAX_ROWS} rows
 * or for k of {@link EXACT_KNN_MIN_K} and more, and the NN-descent graph
 * otherwise, with the contract of `KnnBuilder`.
 */
export function adaptiveKnn(
  vectors: Vectors,
  k: number,
  metric: Metric,
  onProgress?: ProgressCallback,
): KnnGraph {
  return vectors.n <= EXACT_KNN_MAX_ROWS || k >= EXACT_KNN_MIN_K
    ? exactKnn(vectors, k, metric, onProgress)
    : nnDescentKnn(vectors, k, metric, onProgress);
}
