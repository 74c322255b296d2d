/**
 * Approximate k-nearest-neighbour graph by NN-descent, started from the
 * leaves of random projection trees.
 *
 * NN-descent rests on the observation that a neighbour of a neighbour is
 * likely a neighbour. Each round, every row introduces its sampled
 * neighbours and reverse neighbours to each other (a local join), and each
 * pair that beats a current neighbour replaces it. Only pairs with at least
 * one member that is new since the last round are joined, so rounds get
 * cheaper as the graph settles, and the search stops once a round changes
 * few entries.
 *
 * Rounds run in blocks of rows: the joins of a block are measured against
 * the lists as they were at the block's start, then applied in row order.
 * The result depends only on the input and the fixed seed.
 */

import { metricDistance, prepareRows, squaredDistanceAt } from "../distance.ts";
import type { PreparedRows } from "../distance.ts";
import { createRandom } from "../random.ts";
import type {
  KnnGraph,
  Metric,
  ProgressCallback,
  Random,
  Vectors,
} from "../types.ts";
import { validateNeighbourCount, validateVectors } from "./builder.ts";
import { CandidateSample } from "./candidates.ts";
import { exactKnn } from "./exact.ts";
import { NeighbourLists } from "./neighbour_lists.ts";
import { forEachForestLeaf } from "./random_projection.ts";

/** Tuning of {@link nnDescentKnn}, by default from {@link defaultSettings}. */
export interface NnDescentSettings {
  /** Random projection trees of the start graph. */
  readonly trees: number;
  /** Maximum rows of a leaf. Every pair inside a leaf is measured. */
  readonly leafSize: number;
  /** Maximum number of new (and of old) candidates per row and round. */
  readonly maxCandidates: number;
  readonly maxRounds: number;
  /** The search stops once a round changes fewer than delta x n x k entries. */
  readonly delta: number;
  readonly seed: number;
}

/** Up to this many rows, the exact builder is as cheap and is used instead. */
const EXACT_UP_TO = 256;

/** Rows per block of local joins. */
const BLOCK_ROWS = 4096;

/** Leaf size of the tree that orders rows in memory. */
const ORDER_LEAF_SIZE = 16;

/**
 * Finds approximately the `k` nearest other points of every row, with the
 * ordering and padding that `KnnBuilder` (builder.ts) defines. Listed
 * distances are exact, but a listed neighbour may be farther than a true
 * one that the search missed. Tables of up to 256 rows, and k >= n - 1, get
 * the exact graph. The returned graph carries `approximate: true` (see
 * `isApproximate` in builder.ts), also when it happens to be exact.
 *
 * @throws {InputError} for vectors of the wrong shape or with non-finite values.
 * @throws {RangeError} unless `k` is an integer >= 0.
 */
export function nnDescentKnn(
  vectors: Vectors,
  k: number,
  metric: Metric,
  onProgress?: ProgressCallback,
  settings: NnDescentSettings = defaultSettings(vectors.n, k),
): KnnGraph {
  validateVectors(vectors);
  validateNeighbourCount(k);
  const { n } = vectors;
  if (n <= EXACT_UP_TO || k >= n - 1 || k === 0) {
    return exactKnn(vectors, k, metric, onProgress);
  }

  // Start graph from the forest, in a memory order that keeps neighbours close.
  const random = createRandom(settings.seed);
  const { rows, rowOf } = localOrder(prepareRows(vectors, metric), random);
  const lists = new NeighbourLists(n, k);
  seedFromForest(rows, lists, settings, random);
  onProgress?.(0.1, "neighbours");

  // Rounds of local joins until few entries change.
  const sample = new CandidateSample(n, k, settings.maxCandidates);
  const joins = new LocalJoins(rows, lists, sample);
  for (let round = 0; round < settings.maxRounds; round++) {
    sample.sample(lists, round);
    const changed = joins.run();
    onProgress?.(0.1 + (0.9 * (round + 1)) / settings.maxRounds, "neighbours");
    if (changed < settings.delta * n * k) break;
  }

  // Back to input rows, sorted, with distances in metric units.
  lists.toInputOrder(rowOf);
  lists.sortRows();
  const distances = new Float64Array(n * k);
  for (let slot = 0; slot < n * k; slot++) {
    distances[slot] = metricDistance(metric, lists.keys[slot]!);
  }
  onProgress?.(1, "neighbours");
  const graph = { n, k, indices: lists.indices, distances, metric };
  return { ...graph, approximate: true } as KnnGraph;
}

/**
 * Returns the settings the builder uses for `n` rows and `k` neighbours.
 * They were chosen by trying tree counts, leaf sizes and candidate counts on
 * perf_50k and users at k = 15 and 50 (recall against time). More candidates
 * raised recall on perf_50k at k = 15 from 0.89 (15) to 0.94 (24) and 0.95
 * (32), for 5 % more time; docs/BENCHMARKS.md has the resulting recall.
 */
export function defaultSettings(n: number, k: number): NnDescentSettings {
  return {
    trees: 4,
    leafSize: Math.max(24, Math.min(48, k + 8)),
    maxCandidates: Math.min(32, Math.max(k, 24)),
    maxRounds: Math.max(6, Math.round(Math.log2(Math.max(2, n)))),
    delta: 0.001,
    seed: 0x5eed,
  };
}

/**
 * Renumbers the rows in the leaf order of one random projection tree, so
 * rows that are near in space are mostly near in memory too, and returns the
 * input row of each new number. Joins touch rows in small neighbourhoods,
 * so this turns many of their memory reads into cache hits.
 */
function localOrder(
  rows: PreparedRows,
  random: Random,
): { rows: PreparedRows; rowOf: Int32Array } {
  const { n, dim, data } = rows;
  const rowOf = new Int32Array(n);
  let placed = 0;
  forEachForestLeaf(rows, 1, ORDER_LEAF_SIZE, random, (order, start, end) => {
    for (let i = start; i < end; i++) rowOf[placed++] = order[i]!;
  });
  const ordered = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const row = rowOf[i]!;
    ordered.set(data.subarray(row * dim, (row + 1) * dim), i * dim);
  }
  return { rows: { ...rows, data: ordered }, rowOf };
}

/** Offers every pair inside every leaf of the forest to the lists. */
function seedFromForest(
  rows: PreparedRows,
  lists: NeighbourLists,
  settings: NnDescentSettings,
  random: Random,
): void {
  const { data, dim } = rows;
  forEachForestLeaf(
    rows,
    settings.trees,
    settings.leafSize,
    random,
    (order, start, end) => {
      for (let i = start; i < end; i++) {
        const a = order[i]!;
        for (let j = i + 1; j < end; j++) {
          const b = order[j]!;
          const bound = Math.max(lists.worstKey(a), lists.worstKey(b));
          const key = squaredDistanceAt(
            data,
            a * dim,
            data,
            b * dim,
            dim,
            bound,
          );
          if (key > bound) continue;
          lists.offer(a, key, b);
          lists.offer(b, key, a);
        }
      }
    },
  );
}

/** The local joins of a round, measured block by block and then applied. */
class LocalJoins {
  readonly rows: PreparedRows;
  readonly lists: NeighbourLists;
  readonly sample: CandidateSample;
  /** Pairs found in a block: rows `a`, `b` and their squared distance. */
  updateA: Int32Array;
  updateB: Int32Array;
  updateKey: Float64Array;
  updateCount = 0;

  constructor(
    rows: PreparedRows,
    lists: NeighbourLists,
    sample: CandidateSample,
  ) {
    this.rows = rows;
    this.lists = lists;
    this.sample = sample;
    this.updateA = new Int32Array(1 << 16);
    this.updateB = new Int32Array(1 << 16);
    this.updateKey = new Float64Array(1 << 16);
  }

  /** Runs the local join of every row and returns the number of changed entries. */
  run(): number {
    const { n } = this.rows;
    let changed = 0;
    for (let start = 0; start < n; start += BLOCK_ROWS) {
      this.updateCount = 0;
      const end = Math.min(n, start + BLOCK_ROWS);
      for (let row = start; row < end; row++) this.joinRow(row);
      changed += this.applyUpdates();
    }
    return changed;
  }

  /**
   * Measures the candidate pairs of `row`, new with new and new with old,
   * and records those that may beat an entry of either list.
   */
  joinRow(row: number): void {
    const { data, dim } = this.rows;
    const { lists } = this;
    const { cap, newItems, oldItems } = this.sample;
    const newFirst = row * cap;
    const newLast = newFirst + this.sample.newCount[row]!;
    const oldFirst = row * cap;
    const oldLast = oldFirst + this.sample.oldCount[row]!;

    for (let i = newFirst; i < newLast; i++) {
      const a = newItems[i]!;
      const aOffset = a * dim;
      const aWorst = lists.worstKey(a);

      for (let j = i + 1; j < newLast; j++) {
        const b = newItems[j]!;
        const bound = Math.max(aWorst, lists.worstKey(b));
        const key = squaredDistanceAt(data, aOffset, data, b * dim, dim, bound);
        if (key <= bound) this.record(a, b, key);
      }
      for (let j = oldFirst; j < oldLast; j++) {
        const b = oldItems[j]!;
        if (b === a) continue;
        const bound = Math.max(aWorst, lists.worstKey(b));
        const key = squaredDistanceAt(data, aOffset, data, b * dim, dim, bound);
        if (key <= bound) this.record(a, b, key);
      }
    }
  }

  record(a: number, b: number, key: number): void {
    if (this.updateCount === this.updateA.length) this.grow();
    this.updateA[this.updateCount] = a;
    this.updateB[this.updateCount] = b;
    this.updateKey[this.updateCount++] = key;
  }

  grow(): void {
    const size = this.updateA.length * 2;
    const a = new Int32Array(size);
    a.set(this.updateA);
    this.updateA = a;
    const b = new Int32Array(size);
    b.set(this.updateB);
    this.updateB = b;
    const key = new Float64Array(size);
    key.set(this.updateKey);
    this.updateKey = key;
  }

  /** Offers every recorded pair to both of its rows, in recording order. */
  applyUpdates(): number {
    const { lists } = this;
    let changed = 0;
    for (let u = 0; u < this.updateCount; u++) {
      const a = this.updateA[u]!;
      const b = this.updateB[u]!;
      const key = this.updateKey[u]!;
      if (lists.offer(a, key, b)) changed++;
      if (lists.offer(b, key, a)) changed++;
    }
    return changed;
  }
}
