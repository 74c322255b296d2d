/**
 * The contract shared by every k-nearest-neighbour builder, and the input
 * checks they all run first.
 */

import { InputError } from "../errors.ts";
import type { KnnGraph, Metric, ProgressCallback, Vectors } from "../types.ts";

/**
 * Builds the graph of the `k` nearest other points of each row of `vectors`.
 * Rows of the result are sorted by ascending distance, ties by ascending
 * index, and a point never lists itself. When `k` exceeds n - 1, the slots
 * past n - 1 hold index -1 and distance Infinity. Builders report progress
 * as a fraction in [0, 1] with the stage name "neighbours".
 */
export type KnnBuilder = (
  vectors: Vectors,
  k: number,
  metric: Metric,
  onProgress?: ProgressCallback,
) => KnnGraph;

/**
 * Returns whether `graph` comes from an approximate builder, whose rows may
 * miss some true neighbours. Such graphs carry `approximate: true`, a field
 * beyond {@link KnnGraph}; an exact graph needs no marker.
 */
export function isApproximate(graph: KnnGraph): boolean {
  return (graph as { approximate?: boolean }).approximate === true;
}

/**
 * Checks the shape of `vectors` and that every component is finite, so no
 * distance downstream can be NaN.
 *
 * @throws {InputError} naming the first bad row and component.
 */
export function validateVectors(vectors: Vectors): void {
  const { n, dim, data } = vectors;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 0) {
    throw new InputError(
      `Invalid vectors shape ${n} x ${dim}: the row and component counts must be integers >= 0`,
    );
  }
  if (data.length !== n * dim) {
    throw new InputError(
      `Invalid vectors: ${data.length} values for ${n} rows of ${dim} components, expected ${
        n * dim
      }`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / dim);
      throw new InputError(
        `Invalid value ${data[i]} in row ${row}, component ${
          i - row * dim
        }: remove or impute rows with non-finite values`,
      );
    }
  }
}

/**
 * Checks a neighbour count.
 *
 * @throws {RangeError} unless `k` is an integer >= 0.
 */
export function validateNeighbourCount(k: number): void {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(
      `Invalid neighbour count k = ${k}: use an integer >= 0`,
    );
  }
}
