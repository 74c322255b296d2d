import type { KnnGraph, Metric, ProgressCallback, Vectors } from "../types.ts";
import { exactKnn } from "./exact.ts";
import { nnDescentKnn } from "./nn_descent.ts";

/**
 * Largest table that gets the exact graph. Measured on 32-dimensional
 * embeddings at k = 15 (docs/BENCHMARKS.md): the exact builder is as fast as
 * NN-descent at 10,000 rows and about 1.4 times slower at 20,000, and 2.5
 * times slower at 50,000. Up to here exactness costs little, and HDBSCAN's
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
