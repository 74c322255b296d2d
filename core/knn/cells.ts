/**
 * A flat spatial index for exact searches: the mapped rows grouped into cells
 * around centres found by a few deterministic k-means steps, stored cell by
 * cell. The triangle inequality then bounds the distance from any point q to
 * every row p of a cell c from below, without touching p's components:
 *
 *     d(q, p) >= d(q, c) - radius(c)               (the whole cell)
 *     d(q, p) >= |d(q, c) - d(p, c)|               (one row)
 *
 * Distances here are Euclidean in the space of {@link PreparedRows}, where
 * both metrics are monotone in that distance, so a bound there is a bound for
 * either metric. The exact k-nearest-neighbour search and the exact minimum
 * spanning tree both skip most far pairs with these bounds.
 */

import { type PreparedRows, squaredDistanceAt } from "../distance.ts";
import { createRandom } from "../random.ts";
import { forEachForestLeaf } from "./random_projection.ts";

/** Rows grouped into cells. A position numbers a row in cell order. */
export interface CellIndex {
  readonly n: number;
  readonly dim: number;
  readonly cellCount: number;
  /** Mapped rows in position order, row-major `n x dim`. */
  readonly data: Float64Array;
  /** Input row index of each position. */
  readonly rowOf: Int32Array;
  /** Positions of cell `c` are `[cellStart[c], cellStart[c + 1])`. */
  readonly cellStart: Int32Array;
  /** Cell centres, row-major `cellCount x dim`. */
  readonly centres: Float64Array;
  /** Largest distance from a cell's centre to one of its rows. */
  readonly radius: Float64Array;
  /**
   * Distance from the row at each position to its cell's centre, ascending
   * within each cell, so the rows of a cell that one bound admits are a
   * contiguous range (see {@link firstAtLeast}).
   */
  readonly centreDistance: Float64Array;
}

/** Number of k-means refinements after the first assignment. */
const REFINEMENTS = 2;

/**
 * Relative slack subtracted from every lower bound, so that rounding in the
 * bound's terms never excludes a row whose true distance equals the limit it
 * is compared with. Such ties must still be seen, to be broken by index.
 */
export const BOUND_SLACK = 1e-12;

/** Groups the rows into about sqrt(n) cells. Deterministic: no randomness. */
export function buildCellIndex(rows: PreparedRows): CellIndex {
  const { n, dim, data: source } = rows;
  const cellCount = Math.max(1, Math.min(n, Math.round(Math.sqrt(n))));

  // Start from evenly spaced rows, then refine with a few k-means steps.
  const centres = new Float64Array(cellCount * dim);
  for (let c = 0; c < cellCount; c++) {
    const row = Math.floor(((c + 0.5) * n) / cellCount);
    centres.set(source.subarray(row * dim, (row + 1) * dim), c * dim);
  }
  const cellOfRow = new Int32Array(n);
  assignRows(source, n, dim, centres, cellCount, cellOfRow);
  for (let step = 0; step < REFINEMENTS; step++) {
    moveCentresToMeans(source, n, dim, centres, cellCount, cellOfRow);
    assignRows(source, n, dim, centres, cellCount, cellOfRow);
  }
  return indexFromAssignment(rows, centres, cellCount, cellOfRow);
}

/**
 * Groups the rows into the leaves of one random projection tree of at most
 * `leafSize` rows each, centred on their means. Building costs O(n log n)
 * distance-like steps instead of the k-means passes of {@link buildCellIndex}
 * (each O(n sqrt(n))), and the bounds stay valid because they use each
 * cell's own radius. The cells are less round, so searches skip somewhat
 * less. Deterministic for a given `seed`.
 */
export function buildTreeCellIndex(
  rows: PreparedRows,
  leafSize: number,
  seed: number,
): CellIndex {
  const { n, dim, data: source } = rows;
  const cellOfRow = new Int32Array(n);
  const members: number[] = [];
  forEachForestLeaf(
    rows,
    1,
    leafSize,
    createRandom(seed),
    (order, start, end) => {
      for (let i = start; i < end; i++) cellOfRow[order[i]!] = members.length;
      members.push(end - start);
    },
  );
  const cellCount = Math.max(1, members.length);
  const centres = new Float64Array(cellCount * dim);
  moveCentresToMeans(source, n, dim, centres, cellCount, cellOfRow);
  return indexFromAssignment(rows, centres, cellCount, cellOfRow);
}

/** Builds the index for rows assigned to cells around the given centres. */
function indexFromAssignment(
  rows: PreparedRows,
  centres: Float64Array,
  cellCount: number,
  cellOfRow: Int32Array,
): CellIndex {
  const { n, dim, data: source } = rows;

  // Distances to the final centres, and each cell's radius.
  const rowCentreDistance = new Float64Array(n);
  const radius = new Float64Array(cellCount);
  for (let row = 0; row < n; row++) {
    const c = cellOfRow[row] as number;
    const distance = Math.sqrt(
      squaredDistanceAt(source, row * dim, centres, c * dim, dim, Infinity),
    );
    rowCentreDistance[row] = distance;
    if (distance > (radius[c] as number)) radius[c] = distance;
  }

  // Order rows by cell, then by distance to the centre, then by row index.
  const rowOf = new Int32Array(n);
  for (let row = 0; row < n; row++) rowOf[row] = row;
  rowOf.sort((a, b) =>
    (cellOfRow[a] as number) - (cellOfRow[b] as number) ||
    (rowCentreDistance[a] as number) - (rowCentreDistance[b] as number) ||
    a - b
  );
  const cellStart = new Int32Array(cellCount + 1);
  for (let row = 0; row < n; row++) cellStart[cellOfRow[row]! + 1]!++;
  for (let c = 0; c < cellCount; c++) {
    cellStart[c + 1] = (cellStart[c + 1] as number) + (cellStart[c] as number);
  }
  const data = new Float64Array(n * dim);
  const centreDistance = new Float64Array(n);
  for (let position = 0; position < n; position++) {
    const row = rowOf[position] as number;
    data.set(source.subarray(row * dim, (row + 1) * dim), position * dim);
    centreDistance[position] = rowCentreDistance[row] as number;
  }
  return {
    n,
    dim,
    cellCount,
    data,
    rowOf,
    cellStart,
    centres,
    radius,
    centreDistance,
  };
}

/** Writes the Euclidean distance from row `position` of `index` to every centre into `out`. */
export function distancesToCentres(
  index: CellIndex,
  position: number,
  out: Float64Array,
): void {
  const { data, dim, centres, cellCount } = index;
  for (let c = 0; c < cellCount; c++) {
    out[c] = Math.sqrt(
      squaredDistanceAt(data, position * dim, centres, c * dim, dim, Infinity),
    );
  }
}

/** First position in `[start, end)` of the ascending `values` whose value is >= `value`. */
export function firstAtLeast(
  values: Float64Array,
  start: number,
  end: number,
  value: number,
): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First position in `[start, end)` of the ascending `values` whose value is > `value`. */
export function firstAbove(
  values: Float64Array,
  start: number,
  end: number,
  value: number,
): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Assigns each row to its nearest centre, the lowest-numbered one among
 * equally near centres. The search starts at the row's current cell and
 * skips every centre c with d(best, c) > 2 d(row, best), which the triangle
 * inequality puts farther from the row than the best centre so far, so the
 * result is that of a full scan with fewer distances.
 */
function assignRows(
  source: Float64Array,
  n: number,
  dim: number,
  centres: Float64Array,
  cellCount: number,
  cellOfRow: Int32Array,
): void {
  // Squared distances between centres, and the limit that prunes a centre.
  const gaps = new Float64Array(cellCount * cellCount);
  for (let c = 0; c < cellCount; c++) {
    for (let other = c + 1; other < cellCount; other++) {
      const squared = squaredDistanceAt(
        centres,
        c * dim,
        centres,
        other * dim,
        dim,
        Infinity,
      );
      gaps[c * cellCount + other] = squared;
      gaps[other * cellCount + c] = squared;
    }
  }
  const pruneFactor = 4 * (1 + BOUND_SLACK) ** 2;

  for (let row = 0; row < n; row++) {
    let bestCell = cellOfRow[row] as number;
    let best = squaredDistanceAt(
      source,
      row * dim,
      centres,
      bestCell * dim,
      dim,
      Infinity,
    );
    for (let c = 0; c < cellCount; c++) {
      if (c === bestCell) continue;
      if ((gaps[bestCell * cellCount + c] as number) > pruneFactor * best) {
        continue;
      }
      const squared = squaredDistanceAt(
        source,
        row * dim,
        centres,
        c * dim,
        dim,
        best,
      );
      if (squared < best || (squared === best && c < bestCell)) {
        best = squared;
        bestCell = c;
      }
    }
    cellOfRow[row] = bestCell;
  }
}

/** Moves each centre to the mean of its rows. A centre without rows stays put. */
function moveCentresToMeans(
  source: Float64Array,
  n: number,
  dim: number,
  centres: Float64Array,
  cellCount: number,
  cellOfRow: Int32Array,
): void {
  const sums = new Float64Array(cellCount * dim);
  const counts = new Int32Array(cellCount);
  for (let row = 0; row < n; row++) {
    const c = cellOfRow[row] as number;
    counts[c]!++;
    for (let t = 0; t < dim; t++) {
      sums[c * dim + t] = (sums[c * dim + t] as number) +
        (source[row * dim + t] as number);
    }
  }
  for (let c = 0; c < cellCount; c++) {
    const count = counts[c] as number;
    if (count === 0) continue;
    for (let t = 0; t < dim; t++) {
      centres[c * dim + t] = (sums[c * dim + t] as number) / count;
    }
  }
}
