/**
 * Distances between vectors, accumulated in float64 whatever the input type.
 *
 * Cosine distance is 1 - cosine similarity, in [0, 2]. A zero vector has no
 * direction, so this module defines its distance as 1 to every non-zero
 * vector (similarity 0) and 0 to another zero vector. Identical rows then
 * stay at distance 0, and no distance is NaN.
 *
 * The hot loops (k nearest neighbours, minimum spanning tree) work on
 * {@link PreparedRows}: a float64 copy of the rows in a space where both
 * metrics are monotone functions of the squared Euclidean distance. That lets
 * one kernel and one set of triangle-inequality bounds serve both metrics.
 */

import type { Metric, Vectors } from "./types.ts";

/** Euclidean distance between two vectors of equal length. */
export function euclideanDistance(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  requireSameLength(a, b);
  const rows = mapRows(pairOf(a, b), 2, a.length, "euclidean");
  return metricDistance("euclidean", squaredRowDistance(rows, 0, 1));
}

/**
 * Cosine distance 1 - cos(a, b) between two vectors of equal length, with the
 * zero-vector rule of this module. It is computed as half the squared distance
 * between the unit vectors, which equals 1 - cos(a, b) and keeps its relative
 * precision for nearly parallel vectors, where 1 - dot(a, b) / (|a| |b|) loses
 * it to cancellation.
 */
export function cosineDistance(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  requireSameLength(a, b);
  const rows = mapRows(pairOf(a, b), 2, a.length, "cosine");
  return metricDistance("cosine", squaredRowDistance(rows, 0, 1));
}

/** Distance function of a metric. */
export function distanceFunction(
  metric: Metric,
): (a: ArrayLike<number>, b: ArrayLike<number>) => number {
  return metric === "cosine" ? cosineDistance : euclideanDistance;
}

/**
 * Rows mapped into a Euclidean space where the metric distance is a monotone
 * function of the squared Euclidean distance `s` between mapped rows:
 *
 * - euclidean: the rows themselves, and the distance is sqrt(s).
 * - cosine: the unit vectors, and the distance is s / 2. When some rows are
 *   zero, every row gets one extra component: 0 for non-zero rows, 1 for zero
 *   rows (which stay zero elsewhere). A zero row is then at s = 2, distance 1,
 *   from every unit row and at s = 0 from another zero row, as defined above.
 */
export interface PreparedRows {
  readonly n: number;
  /** Components per mapped row: the input dimension, plus one for cosine with zero rows. */
  readonly dim: number;
  /** Row-major `n x dim` mapped rows. */
  readonly data: Float64Array;
  readonly metric: Metric;
}

/** Maps the rows of `vectors` into the space of {@link PreparedRows}. */
export function prepareRows(vectors: Vectors, metric: Metric): PreparedRows {
  return mapRows(vectors.data, vectors.n, vectors.dim, metric);
}

/** Maps `n` row-major rows of `inputDim` components, see {@link PreparedRows}. */
function mapRows(
  input: ArrayLike<number>,
  n: number,
  inputDim: number,
  metric: Metric,
): PreparedRows {
  if (metric === "euclidean") {
    return { n, dim: inputDim, data: Float64Array.from(input), metric };
  }

  // Row norms. Any zero row adds the marker component to every row.
  const norms = new Float64Array(n);
  let hasZeroRow = false;
  for (let row = 0; row < n; row++) {
    let sum = 0;
    for (let i = 0; i < inputDim; i++) {
      const value = input[row * inputDim + i] as number;
      sum += value * value;
    }
    norms[row] = Math.sqrt(sum);
    if (sum === 0) hasZeroRow = true;
  }

  // Unit rows, and the marker alone for zero rows.
  const dim = hasZeroRow ? inputDim + 1 : inputDim;
  const data = new Float64Array(n * dim);
  for (let row = 0; row < n; row++) {
    const rowNorm = norms[row] as number;
    if (rowNorm === 0) {
      data[row * dim + inputDim] = 1;
      continue;
    }
    for (let i = 0; i < inputDim; i++) {
      data[row * dim + i] = (input[row * inputDim + i] as number) / rowNorm;
    }
  }
  return { n, dim, data, metric };
}

/** Squared Euclidean distance between mapped rows `i` and `j`. */
export function squaredRowDistance(
  rows: PreparedRows,
  i: number,
  j: number,
): number {
  return squaredDistanceAt(
    rows.data,
    i * rows.dim,
    rows.data,
    j * rows.dim,
    rows.dim,
    Infinity,
  );
}

/**
 * Squared Euclidean distance between the `dim` components of `a` from
 * `aOffset` and of `b` from `bOffset`. The sum runs in blocks of eight
 * components and stops early, returning a partial sum, once it exceeds
 * `bound`: a return value above `bound` only means "farther than bound",
 * while values at or below it are exact. Every distance in the core goes
 * through this one kernel, so the same pair always gives the same bits.
 */
export function squaredDistanceAt(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  dim: number,
  bound: number,
): number {
  let sum = 0;
  let t = 0;

  // Unrolled blocks with a pairwise sum inside: fewer loop branches and
  // shorter dependency chains than one running sum.
  for (; t + 8 <= dim; t += 8) {
    const i = aOffset + t;
    const j = bOffset + t;
    const d0 = a[i]! - b[j]!;
    const d1 = a[i + 1]! - b[j + 1]!;
    const d2 = a[i + 2]! - b[j + 2]!;
    const d3 = a[i + 3]! - b[j + 3]!;
    const d4 = a[i + 4]! - b[j + 4]!;
    const d5 = a[i + 5]! - b[j + 5]!;
    const d6 = a[i + 6]! - b[j + 6]!;
    const d7 = a[i + 7]! - b[j + 7]!;
    sum += (d0 * d0 + d1 * d1 + (d2 * d2 + d3 * d3)) +
      (d4 * d4 + d5 * d5 + (d6 * d6 + d7 * d7));
    if (sum > bound) return sum;
  }
  for (; t < dim; t++) {
    const d = a[aOffset + t]! - b[bOffset + t]!;
    sum += d * d;
  }
  return sum;
}

/** Converts a squared distance between mapped rows into the metric distance. */
export function metricDistance(metric: Metric, squared: number): number {
  return metric === "cosine" ? squared / 2 : Math.sqrt(squared);
}

/** Converts a metric distance into the squared distance between mapped rows. */
export function squaredFromMetric(metric: Metric, distance: number): number {
  return metric === "cosine" ? distance * 2 : distance * distance;
}

/** Two vectors as the rows of one float64 matrix. */
function pairOf(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const data = new Float64Array(a.length * 2);
  data.set(Array.from(a), 0);
  data.set(Array.from(b), a.length);
  return data;
}

function requireSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `Invalid vector lengths ${a.length} and ${b.length}: a distance needs vectors of equal length`,
    );
  }
}
