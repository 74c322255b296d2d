import {
  metricDistance,
  type PreparedRows,
  prepareRows,
  squaredDistanceAt,
} from "../distance.ts";
import type { Metric, Vectors } from "../types.ts";
import { buildTreeCellIndex, type CellIndex } from "./cells.ts";
import { searchNeighbours } from "./exact.ts";
import { NeighbourHeap } from "./heap.ts";

/** The `k` nearest model points of each query, ascending; row `i` is `[i * k, (i + 1) * k)`. */
export interface QueryResult {
  readonly queries: number;
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float64Array;
}

/**
 * Model points prepared for exact nearest-neighbour queries. Small models
 * are scanned. A larger one gets a cell index on the first batch of queries
 * that pays for building it and keeps it for later batches.
 */
export interface ExactQueryIndex {
  readonly vectors: Vectors;
  readonly metric: Metric;
  /**
   * The model rows mapped for the distance kernel of core/distance.ts, or
   * undefined until the first query maps them. Creating the index then costs
   * nothing on the thread that publishes a new model.
   */
  rows: PreparedRows | undefined;
  /** Cell index over `rows`, or undefined until a batch builds it. */
  cells: CellIndex | undefined;
}

/** Models up to this many rows are always scanned. */
const SCAN_MAX_ROWS = 4096;

/**
 * Queries a batch must have before it builds the cell index. Building
 * costs about as much as 40 scans of the model, and a query through the
 * index about a tenth of a scan, so smaller batches scan. Both figures were
 * measured at 100,000 rows of 32 dimensions (bench/fit_scale.ts, query).
 */
const INDEX_MIN_QUERIES = 64;

/**
 * Wraps `vectors` for {@link queryNearest}. The work waits for the queries:
 * the first one maps the rows, and the first large batch builds the cell
 * index.
 */
export function createQueryIndex(
  vectors: Vectors,
  metric: Metric,
): ExactQueryIndex {
  return { vectors, metric, rows: undefined, cells: undefined };
}

/**
 * Finds the exact `k` nearest model points of each query row, ties broken
 * by lower model index. Distances are those of core/distance.ts, so cosine
 * is 1 - cosine similarity, and a zero vector is at distance 1 from
 * non-zero vectors and 0 from zero vectors. Rows of the result hold
 * min(k, n) entries.
 *
 * Up to 4,096 model rows, or for batches of fewer than 64 queries while no
 * index exists, it scans all model points (O(queries x n x dim)). Otherwise
 * it searches a cell index (core/knn/cells.ts), built once per model, that
 * skips the cells and rows the triangle inequality proves too far. The
 * results are the same either way; on data without cluster structure the
 * index skips little and the cost approaches the scan's.
 *
 * @throws {RangeError} when the query rows' dimension differs from the model's.
 */
export function queryNearest(
  index: ExactQueryIndex,
  queries: Vectors,
  k: number,
): QueryResult {
  const { metric } = index;
  const { n, dim } = index.vectors;
  if (queries.dim !== dim) {
    throw new RangeError(
      `Cannot query ${queries.dim}-dimensional rows against ${dim}-dimensional ones`,
    );
  }
  const count = Math.min(k, n);
  const indices = new Int32Array(queries.n * count).fill(-1);
  const distances = new Float64Array(queries.n * count).fill(Infinity);
  if (count <= 0) return { queries: queries.n, k: count, indices, distances };
  index.rows ??= prepareRows(index.vectors, metric);
  const { rows } = index;

  if (
    index.cells === undefined && n > SCAN_MAX_ROWS &&
    queries.n >= INDEX_MIN_QUERIES
  ) {
    index.cells = buildTreeCellIndex(
      rows,
      Math.max(16, Math.round(Math.sqrt(n))),
      n,
    );
  }
  const search = index.cells === undefined
    ? scanSearch(rows)
    : cellSearch(index.cells);

  const mapped = prepareRows(queries, metric);
  const query = new Float64Array(rows.dim);
  const heap = new NeighbourHeap(count);
  for (let q = 0; q < queries.n; q++) {
    // A zero query is at distance 1 from every row of a model without zero rows.
    if (!placeQuery(mapped, q, rows.dim, query)) {
      for (let t = 0; t < count; t++) {
        indices[q * count + t] = t;
        distances[q * count + t] = 1;
      }
      continue;
    }
    search(query, heap);
    const found = heap.sortAscending();
    for (let t = 0; t < found; t++) {
      indices[q * count + t] = heap.indices[t]!;
      distances[q * count + t] = metricDistance(metric, heap.keys[t]!);
    }
  }
  return { queries: queries.n, k: count, indices, distances };
}

/**
 * Copies mapped query `q` into `out`, in the model's mapped space of `dim`
 * components, and returns whether it fits there. Cosine rows carry a zero-row
 * marker component only when some row of their table is zero, so the query
 * and model spaces can differ by that component: a missing one is 0 for a
 * non-zero row. A zero query needs the marker, which a model without zero
 * rows lacks; it returns false then.
 */
function placeQuery(
  mapped: PreparedRows,
  q: number,
  dim: number,
  out: Float64Array,
): boolean {
  out.fill(0);
  const copied = Math.min(dim, mapped.dim);
  out.set(mapped.data.subarray(q * mapped.dim, q * mapped.dim + copied));
  if (mapped.dim > dim && mapped.data[q * mapped.dim + dim] === 1) {
    return false;
  }
  return true;
}

/** Returns a search that offers every model row to the heap. */
function scanSearch(
  rows: PreparedRows,
): (query: Float64Array, heap: NeighbourHeap) => void {
  const { n, dim, data } = rows;
  return (query, heap) => {
    heap.clear();
    let worst = Infinity;
    for (let row = 0; row < n; row++) {
      const key = squaredDistanceAt(query, 0, data, row * dim, dim, worst);
      if (key > worst) continue;
      heap.offer(key, row);
      worst = heap.worstKey();
    }
  };
}

/** Returns a search over a cell index that visits the nearest cells first. */
function cellSearch(
  cells: CellIndex,
): (query: Float64Array, heap: NeighbourHeap) => void {
  const { dim, centres, cellCount } = cells;
  const toCentres = new Float64Array(cellCount);
  const cellOrder = new Int32Array(cellCount);
  return (query, heap) => {
    for (let c = 0; c < cellCount; c++) {
      toCentres[c] = Math.sqrt(
        squaredDistanceAt(query, 0, centres, c * dim, dim, Infinity),
      );
      cellOrder[c] = c;
    }
    cellOrder.sort((a, b) => toCentres[a]! - toCentres[b]! || a - b);
    searchNeighbours(cells, query, 0, -1, cellOrder, toCentres, heap);
  };
}
