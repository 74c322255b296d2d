import type { KnnGraph } from "../types.ts";

/**
 * Core distance of every point: the distance to its `minSamples`-th nearest
 * other point, read from column `minSamples - 1` of `knn`. The point itself
 * is not counted, as in the reference Python library hdbscan (0.8.40).
 * scikit-learn's HDBSCAN counts it and so reports the previous neighbour.
 * Rows with fewer than `minSamples` neighbours get Infinity.
 *
 * @throws {RangeError} when `knn` has fewer than `minSamples` columns.
 */
export function coreDistancesFromKnn(
  knn: KnnGraph,
  minSamples: number,
): Float64Array {
  if (knn.k < minSamples) {
    throw new RangeError(
      `Cannot read core distances for min_samples ${minSamples} from a graph of ${knn.k} neighbours: build it with k >= ${minSamples}`,
    );
  }
  const core = new Float64Array(knn.n);
  for (let row = 0; row < knn.n; row++) {
    core[row] = knn.distances[row * knn.k + minSamples - 1]!;
  }
  return core;
}
