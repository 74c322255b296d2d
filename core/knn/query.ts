import type { Metric, Vectors } from "../types.ts";

/** The `k` nearest model points of each query, ascending; row `i` is `[i * k, (i + 1) * k)`. */
export interface QueryResult {
  readonly queries: number;
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float64Array;
}

/** A set of model points that answers nearest-neighbour queries by a full scan. */
export interface ExactQueryIndex {
  readonly vectors: Vectors;
  readonly metric: Metric;
  /** Euclidean norms of the model rows (used by cosine). */
  readonly norms: Float64Array;
}

/** Prepares `vectors` for {@link queryNearest}. */
export function createQueryIndex(
  vectors: Vectors,
  metric: Metric,
): ExactQueryIndex {
  const { n, dim, data } = vectors;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < dim; c++) {
      sum += data[i * dim + c]! * data[i * dim + c]!;
    }
    norms[i] = Math.sqrt(sum);
  }
  return { vectors, metric, norms };
}

/**
 * Finds the `k` nearest model points of each query row by scanning all model
 * points: O(queries x n x dim), exact, with ties broken by lower index.
 * Distances follow core/distance.ts: cosine is 1 - cosine similarity, and a
 * zero vector is at distance 1 from non-zero vectors and 0 from zero vectors.
 *
 * NOTE: the scan grows linearly with the model; a graph search over the
 * model's neighbour graph would make large models cheaper to query.
 */
export function queryNearest(
  index: ExactQueryIndex,
  queries: Vectors,
  k: number,
): QueryResult {
  const { vectors, metric, norms } = index;
  const { n, dim, data } = vectors;
  if (queries.dim !== dim) {
    throw new RangeError(
      `Cannot query ${queries.dim}-dimensional rows against ${dim}-dimensional ones`,
    );
  }
  const count = Math.min(k, n);
  const indices = new Int32Array(queries.n * count).fill(-1);
  const distances = new Float64Array(queries.n * count).fill(Infinity);

  for (let q = 0; q < queries.n; q++) {
    const offset = q * dim;
    let queryNorm = 0;
    for (let c = 0; c < dim; c++) queryNorm += queries.data[offset + c]! ** 2;
    queryNorm = Math.sqrt(queryNorm);
    const rowStart = q * count;
    const rowEnd = rowStart + count;

    for (let i = 0; i < n; i++) {
      const base = i * dim;
      let value = 0;
      if (metric === "euclidean") {
        for (let c = 0; c < dim; c++) {
          const difference = queries.data[offset + c]! - data[base + c]!;
          value += difference * difference;
        }
      } else {
        let dot = 0;
        for (let c = 0; c < dim; c++) {
          dot += queries.data[offset + c]! * data[base + c]!;
        }
        const denominator = queryNorm * norms[i]!;
        value = denominator > 0
          ? Math.max(0, 1 - dot / denominator)
          : (queryNorm === 0 && norms[i] === 0 ? 0 : 1);
      }
      if (value >= distances[rowEnd - 1]!) continue;

      // Insertion into the sorted row; equal values keep the lower index first.
      let slot = rowEnd - 1;
      while (slot > rowStart && distances[slot - 1]! > value) {
        distances[slot] = distances[slot - 1]!;
        indices[slot] = indices[slot - 1]!;
        slot--;
      }
      distances[slot] = value;
      indices[slot] = i;
    }
    if (metric === "euclidean") {
      for (let j = rowStart; j < rowEnd; j++) {
        distances[j] = Math.sqrt(distances[j]!);
      }
    }
  }
  return { queries: queries.n, k: count, indices, distances };
}
