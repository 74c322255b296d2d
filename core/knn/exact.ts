import { metricDistance, prepareRows, squaredDistanceAt } from "../distance.ts";
import type { KnnGraph, Metric, ProgressCallback, Vectors } from "../types.ts";
import { validateNeighbourCount, validateVectors } from "./builder.ts";
import {
  BOUND_SLACK,
  buildCellIndex,
  type CellIndex,
  distancesToCentres,
  firstAbove,
  firstAtLeast,
} from "./cells.ts";
import { NeighbourHeap } from "./heap.ts";
import { HelperThread } from "./helper_thread.ts";

/** Queries between two progress reports. */
const PROGRESS_INTERVAL = 512;

/**
 * Tables from this size search their second half of cells on a helper
 * thread. Starting one costs about 20 ms, a few percent of the search here.
 */
const HELPER_MIN_ROWS = 5_000;

/** The cell index each exact graph was searched on, for HDBSCAN to reuse. */
const indexOfGraph = new WeakMap<KnnGraph, CellIndex>();

/**
 * Returns the cell index that `graph` was built on, when `exactKnn` or
 * `knnFromCellIndex` built it in this thread, so a spanning tree over the
 * same rows need not build its own.
 */
export function cellIndexOf(graph: KnnGraph): CellIndex | undefined {
  return indexOfGraph.get(graph);
}

/**
 * Finds the exact `k` nearest other points of every row, with the ordering
 * and padding that `KnnBuilder` (builder.ts) defines.
 *
 * Rows are grouped into cells (see `cells.ts`) and queried cell by cell, so
 * a query's own cell, searched first, is warm in cache and gives a tight
 * k-th distance early. Whole cells, then single rows, are skipped when the
 * triangle inequality proves them farther than the current k-th neighbour,
 * and the remaining distances stop summing once they pass it. The result
 * equals a brute-force scan's, and only the work differs. On data without
 * cluster structure the bounds skip little, and the cost approaches the
 * n (n - 1) distance evaluations of a brute-force scan.
 *
 * @throws {InputError} for vectors of the wrong shape or with non-finite values.
 * @throws {RangeError} unless `k` is an integer >= 0.
 */
export function exactKnn(
  vectors: Vectors,
  k: number,
  metric: Metric,
  onProgress?: ProgressCallback,
): KnnGraph {
  validateVectors(vectors);
  validateNeighbourCount(k);
  const index = buildCellIndex(prepareRows(vectors, metric));
  return knnFromCellIndex(index, k, metric, onProgress);
}

/**
 * Runs the search of {@link exactKnn} on an index built already, so HDBSCAN
 * can build one index for both its neighbour search and its spanning tree.
 */
export function knnFromCellIndex(
  index: CellIndex,
  k: number,
  metric: Metric,
  onProgress?: ProgressCallback,
): KnnGraph {
  const { n, cellCount, cellStart } = index;
  const found = Math.min(k, n - 1);
  const helper = found > 0 && n >= HELPER_MIN_ROWS
    ? HelperThread.open()
    : undefined;
  const indices = new Int32Array(sharedBuffer(n * k * 4, helper)).fill(-1);
  const distances = new Float64Array(sharedBuffer(n * k * 8, helper)).fill(
    Infinity,
  );

  // The helper, when there is one, takes the cells past the middle row.
  let split = cellCount;
  if (helper !== undefined) {
    split = 0;
    while (split < cellCount && cellStart[split + 1]! <= n / 2) split++;
    helper.start({
      moduleUrl: import.meta.url,
      exportName: "searchCellRange",
      args: {
        index,
        k,
        metric,
        firstCell: split,
        endCell: cellCount,
        indices,
        distances,
      } satisfies CellRangeTask,
    });
  }
  try {
    const scale = split === cellCount ? 1 : n / Math.max(1, cellStart[split]!);
    searchCellRange({
      index,
      k,
      metric,
      firstCell: 0,
      endCell: split,
      indices,
      distances,
      onProgress: onProgress &&
        ((fraction, stage) => onProgress(Math.min(1, fraction * scale), stage)),
    });
    helper?.join();
  } finally {
    helper?.close();
  }
  onProgress?.(1, "neighbours");

  const graph = helper === undefined
    ? { n, k, indices, distances, metric }
    : { n, k, indices: indices.slice(), distances: distances.slice(), metric };
  indexOfGraph.set(graph, index);
  return graph;
}

/** The argument of {@link searchCellRange}. */
interface CellRangeTask {
  index: CellIndex;
  k: number;
  metric: Metric;
  /** The queries are the rows of cells `[firstCell, endCell)`. */
  firstCell: number;
  endCell: number;
  /** Output rows of the whole graph, written only for the queried rows. */
  indices: Int32Array;
  distances: Float64Array;
  onProgress?: ProgressCallback;
}

/**
 * Finds the neighbours of the rows of a range of cells and writes them into
 * the task's output rows. Ranges do not share rows, so two threads can fill
 * one graph. Exported for the helper thread of {@link knnFromCellIndex}.
 */
export function searchCellRange(task: CellRangeTask): void {
  const { index, k, metric, indices, distances, onProgress } = task;
  const { n } = index;
  const found = Math.min(k, n - 1);
  if (found <= 0) return;
  const heap = new NeighbourHeap(found);
  const toCentres = new Float64Array(index.cellCount);
  const cellOrder = new Int32Array(index.cellCount);
  const centreGaps = new Float64Array(index.cellCount);
  for (let cell = task.firstCell, done = 0; cell < task.endCell; cell++) {
    orderCellsFrom(index, cell, cellOrder, centreGaps);
    for (let q = index.cellStart[cell]!; q < index.cellStart[cell + 1]!; q++) {
      // Search, then write the sorted neighbours into the query's input row.
      distancesToCentres(index, q, toCentres);
      searchNeighbours(
        index,
        index.data,
        q * index.dim,
        q,
        cellOrder,
        toCentres,
        heap,
      );
      const count = heap.sortAscending();
      const rowStart = index.rowOf[q]! * k;
      for (let t = 0; t < count; t++) {
        indices[rowStart + t] = heap.indices[t]!;
        distances[rowStart + t] = metricDistance(metric, heap.keys[t]!);
      }

      done++;
      if (onProgress !== undefined && done % PROGRESS_INTERVAL === 0) {
        onProgress(done / n, "neighbours");
      }
    }
  }
}

/** Memory for the output, shared with the helper thread when there is one. */
function sharedBuffer(
  bytes: number,
  helper: HelperThread | undefined,
): ArrayBuffer {
  return helper === undefined
    ? new ArrayBuffer(bytes)
    : new SharedArrayBuffer(bytes) as unknown as ArrayBuffer;
}

/**
 * Fills `heap` with the rows of `index` nearest to the mapped query at
 * `query[queryOffset..]`, keyed by squared mapped distance and by input row
 * index, skipping position `skip` (the query's own row, or -1). `toCentres`
 * contains the query's distances to every centre, and cells are visited in
 * `cellOrder`.
 */
export function searchNeighbours(
  index: CellIndex,
  query: Float64Array,
  queryOffset: number,
  skip: number,
  cellOrder: Int32Array,
  toCentres: Float64Array,
  heap: NeighbourHeap,
): void {
  const { data, dim, rowOf, cellStart, radius, centreDistance } = index;
  heap.clear();
  let worstKey = Infinity;
  let worstDistance = Infinity;

  for (let o = 0; o < cellOrder.length; o++) {
    const cell = cellOrder[o] as number;
    const toCentre = toCentres[cell] as number;
    const cellRadius = radius[cell] as number;

    // Skip the whole cell when even its nearest possible row is too far.
    const cellSlack = BOUND_SLACK * (toCentre + cellRadius);
    if (toCentre - cellRadius - cellSlack > worstDistance) continue;

    // Rows are sorted by distance to the centre, so the ones that
    // |d(q, centre) - d(p, centre)| <= worst admits form one range.
    const first = cellStart[cell] as number;
    const last = cellStart[cell + 1] as number;
    const start = firstAtLeast(
      centreDistance,
      first,
      last,
      toCentre - worstDistance - cellSlack,
    );
    const end = firstAbove(
      centreDistance,
      start,
      last,
      toCentre + worstDistance + cellSlack,
    );
    for (let p = start; p < end; p++) {
      if (p === skip) continue;

      // The k-th distance may have shrunk since the range was found.
      const rowCentre = centreDistance[p] as number;
      const rowBound = Math.abs(toCentre - rowCentre) -
        BOUND_SLACK * (toCentre + rowCentre);
      if (rowBound > worstDistance) continue;

      const squared = squaredDistanceAt(
        query,
        queryOffset,
        data,
        p * dim,
        dim,
        worstKey,
      );
      if (squared > worstKey) continue;
      heap.offer(squared, rowOf[p] as number);
      if (heap.isFull()) {
        worstKey = heap.worstKey();
        worstDistance = Math.sqrt(worstKey);
      }
    }
  }
}

/**
 * Orders all cells by the distance of their centre to the centre of
 * `cell`, which comes first. Queries of one cell share this order: near
 * cells first make the k-th distance shrink early, so later cells are
 * skipped whole.
 */
function orderCellsFrom(
  index: CellIndex,
  cell: number,
  cellOrder: Int32Array,
  byCentreDistance: Float64Array,
): void {
  const { centres, dim, cellCount } = index;
  for (let c = 0; c < cellCount; c++) {
    byCentreDistance[c] = c === cell
      ? -1
      : squaredDistanceAt(centres, cell * dim, centres, c * dim, dim, Infinity);
    cellOrder[c] = c;
  }

  // Insertion sort: the list is short and this runs once per cell.
  for (let i = 1; i < cellCount; i++) {
    const c = cellOrder[i] as number;
    const key = byCentreDistance[c] as number;
    let j = i - 1;
    while (
      j >= 0 && (byCentreDistance[cellOrder[j] as number] as number) > key
    ) {
      cellOrder[j + 1] = cellOrder[j] as number;
      j--;
    }
    cellOrder[j + 1] = c;
  }
}
