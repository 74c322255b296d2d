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
 * Builds the exact graph for tables of up to {@link EXACT_KNN_MAX_ROWS} rows
 * and the NN-descent graph above, with the contract of `KnnBuilder`.
 */
export function adaptiveKnn(
  vectors: Vectors,
  k: number,
  metric: Metric,
  onProgress?: ProgressCallback,
): KnnGraph {
  return vectors.n <= EXACT_KNN_MAX_ROWS
    ? exactKnn(vectors, k, metric, onProgress)
    : nnDescentKnn(vectors, k, metric, onProgress);
}
