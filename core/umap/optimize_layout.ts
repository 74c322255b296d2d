import {
  HelperThread,
  signalCount,
  waitForCount,
} from "../knn/helper_thread.ts";
import { createRandom } from "../random.ts";
import type { ProgressCallback, Random } from "../types.ts";
import type { CsrGraph } from "./fuzzy_graph.ts";

/** Settings of the stochastic gradient descent over the layout. */
export interface OptimizeOptions {
  epochs: number;
  a: number;
  b: number;
  learningRate: number;
  repulsionStrength: number;
  negativeSampleRate: number;
  random: Random;
  onProgress?: ProgressCallback;
  /** Points whose positions stay fixed (placed rows of an older layout). */
  frozen?: Uint8Array;
  /**
   * Whether a large layout may run its second half on a helper thread
   * (default true). The layout is the same either way.
   */
  helperThread?: boolean;
}

const GRADIENT_CLIP = 4;

/**
 * Layouts of more rows than this run as two halves (see
 * {@link optimizeLayout}); smaller ones follow umap-learn's order exactly.
 * It is where umap-learn drops from 500 to 200 epochs.
 */
export const HALVES_ABOVE_ROWS = 4_096;

/**
 * Moves `layout` (row-major n x 2, changed in place) by UMAP's attractive and
 * repulsive forces over the edges of `graph`, with negative sampling, as
 * umap-learn's single-threaded Euclidean optimiser does. Edges weaker than
 * max / epochs are never sampled, which is umap-learn's pruning rule. The
 * same graph, start and random sequence give the same layout, bit for bit.
 *
 * The loop allocates nothing and calls Math.pow once per force: the
 * attraction's d^(2(b - 1)) is d^(2b) / d^2. b is near 1 for usual min_dist
 * values but not equal to it, so the power itself stays.
 *
 * Above {@link HALVES_ABOVE_ROWS} rows, the rows split into two halves with
 * about equal work, each with its own random sequence drawn from `random`,
 * and each epoch runs both halves against the positions of the other half
 * as they were at the epoch's start. A half moves its own rows at once and
 * collects its pulls on the other half's rows, which are added when the
 * epoch ends. So the halves can run on two threads (a helper thread does
 * the second) and the result does not depend on whether they do: umap-learn
 * runs its parallel optimiser with similar staleness, but unordered.
 */
export function optimizeLayout(
  graph: CsrGraph,
  layout: Float32Array,
  options: OptimizeOptions,
): void {
  const { n } = graph;
  const { epochs } = options;
  if (n < 2 || epochs <= 0) return;
  const edges = sampledEdges(graph, epochs, options.negativeSampleRate);
  if (n <= HALVES_ABOVE_ROWS) {
    optimizeWhole(layout, edges, options);
  } else {
    optimizeInHalves(layout, edges, options);
  }
}

/** Edges that are sampled, with their schedules, as typed arrays. */
interface SampledEdges {
  readonly n: number;
  readonly heads: Int32Array;
  readonly tails: Int32Array;
  /** Epochs between samples of each edge, and when it is next due. */
  readonly period: Float64Array;
  readonly nextSample: Float64Array;
  /** Epochs between negative samples of each edge, and when they are next due. */
  readonly negativePeriod: Float64Array;
  readonly nextNegative: Float64Array;
}

/**
 * One thread's share of an epoch: the edges whose head lies in its rows,
 * the layout it moves, and where it reads and writes the other rows.
 */
interface Share {
  readonly edges: SampledEdges;
  readonly firstEdge: number;
  readonly endEdge: number;
  /** Its rows are `[firstRow, endRow)`; it moves them in `layout`. */
  readonly firstRow: number;
  readonly endRow: number;
  readonly layout: Float32Array;
  /** Positions of the other rows at the epoch's start. */
  readonly others: Float32Array;
  /** Pulls on the other rows, added to them when the epoch ends. */
  readonly pulls: Float64Array;
  readonly frozen: Uint8Array | undefined;
  readonly a: number;
  readonly b: number;
  readonly attraction: number;
  readonly repulsion: number;
}

/** Runs every epoch over all rows in umap-learn's order. */
function optimizeWhole(
  layout: Float32Array,
  edges: SampledEdges,
  options: OptimizeOptions,
): void {
  const share = createShare(
    edges,
    0,
    edges.n,
    layout,
    layout,
    new Float64Array(0),
    options,
  );
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const alpha = options.learningRate * (1 - epoch / options.epochs);
    runEpoch(share, epoch, alpha, options.random);
    options.onProgress?.((epoch + 1) / options.epochs, "layout");
  }
}

/** Runs every epoch as two halves, the second on a helper thread when one starts. */
function optimizeInHalves(
  layout: Float32Array,
  edges: SampledEdges,
  options: OptimizeOptions,
): void {
  const { n } = edges;
  const split = balancedSplit(edges);
  const seeds = [
    Math.floor(options.random() * 4294967296),
    Math.floor(options.random() * 4294967296),
  ];

  // Shared memory, so a helper thread reads and writes the same arrays.
  const shared = sharedEdges(edges);
  const live = sharedFloat32(layout);
  const start = sharedFloat32(layout);
  const pulls = [sharedFloat64(n * 2), sharedFloat64(n * 2)];
  const sync = new Int32Array(sharedBuffer(8));
  const first = createShare(shared, 0, split, live, start, pulls[0]!, options);

  const helper = options.helperThread === false
    ? undefined
    : HelperThread.open();
  try {
    let runSecond: (epoch: number, alpha: number) => void;
    if (helper !== undefined) {
      helper.start({
        moduleUrl: import.meta.url,
        exportName: "runSecondHalf",
        args: {
          edges: shared,
          split,
          layout: live,
          others: start,
          pulls: pulls[1]!,
          frozen: options.frozen,
          a: options.a,
          b: options.b,
          repulsionStrength: options.repulsionStrength,
          learningRate: options.learningRate,
          epochs: options.epochs,
          seed: seeds[1]!,
          sync,
        } satisfies SecondHalfTask,
      });
      // The helper runs its half meanwhile, and the first half waits for it.
      runSecond = (epoch) => signalCount(sync, GO, epoch + 1);
    } else {
      const second = createShare(
        shared,
        split,
        n,
        live,
        start,
        pulls[1]!,
        options,
      );
      const random = createRandom(seeds[1]!);
      runSecond = (epoch, alpha) => runEpoch(second, epoch, alpha, random);
    }

    const random = createRandom(seeds[0]!);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const alpha = options.learningRate * (1 - epoch / options.epochs);
      runSecond(epoch, alpha);
      runEpoch(first, epoch, alpha, random);
      if (helper !== undefined) waitForCount(sync, DONE, epoch + 1, helper);

      // Each half's pulls on the other's rows, then the new start positions.
      addPulls(live, pulls[0]!, split, n);
      addPulls(live, pulls[1]!, 0, split);
      start.set(live);
      options.onProgress?.((epoch + 1) / options.epochs, "layout");
    }
    helper?.join();
  } finally {
    helper?.close();
  }
  layout.set(live);
}

/** Slots of the epoch handshake with the helper thread. */
const GO = 0;
const DONE = 1;

/** The argument of {@link runSecondHalf}, all arrays in shared memory. */
interface SecondHalfTask {
  edges: SampledEdges;
  split: number;
  layout: Float32Array;
  others: Float32Array;
  pulls: Float64Array;
  frozen: Uint8Array | undefined;
  a: number;
  b: number;
  repulsionStrength: number;
  learningRate: number;
  epochs: number;
  seed: number;
  sync: Int32Array;
}

/**
 * Runs the second half of every epoch on a helper thread (see
 * core/knn/helper_thread.ts), each epoch after the caller signals it, and
 * signals each one done.
 */
export function runSecondHalf(task: SecondHalfTask): void {
  const { edges, sync } = task;
  const share = createShare(
    edges,
    task.split,
    edges.n,
    task.layout,
    task.others,
    task.pulls,
    {
      a: task.a,
      b: task.b,
      repulsionStrength: task.repulsionStrength,
      frozen: task.frozen,
    },
  );
  const random = createRandom(task.seed);
  for (let epoch = 0; epoch < task.epochs; epoch++) {
    while (Atomics.load(sync, GO) < epoch + 1) {
      Atomics.wait(sync, GO, epoch);
    }
    const alpha = task.learningRate * (1 - epoch / task.epochs);
    runEpoch(share, epoch, alpha, random);
    signalCount(sync, DONE, epoch + 1);
  }
}

/** Describes the rows `[firstRow, endRow)` and their edges as a {@link Share}. */
function createShare(
  edges: SampledEdges,
  firstRow: number,
  endRow: number,
  layout: Float32Array,
  others: Float32Array,
  pulls: Float64Array,
  options: Pick<OptimizeOptions, "a" | "b" | "repulsionStrength" | "frozen">,
): Share {
  const { a, b } = options;
  return {
    edges,
    firstEdge: firstEdgeOf(edges.heads, firstRow),
    endEdge: firstEdgeOf(edges.heads, endRow),
    firstRow,
    endRow,
    layout,
    others,
    pulls,
    frozen: options.frozen,
    a,
    b,
    attraction: -2 * a * b,
    repulsion: 2 * options.repulsionStrength * b,
  };
}

/**
 * Samples the due edges of `share` in one epoch: attraction along each
 * edge, then repulsion from randomly drawn rows.
 */
function runEpoch(
  share: Share,
  epoch: number,
  alpha: number,
  random: Random,
): void {
  const { heads, tails, period, nextSample, negativePeriod, nextNegative, n } =
    share.edges;
  const { layout, others, pulls, frozen, a, b, attraction, repulsion } = share;
  const { firstRow, endRow } = share;

  for (let e = share.firstEdge; e < share.endEdge; e++) {
    if (nextSample[e]! > epoch) continue;
    const j = heads[e]!;
    const k = tails[e]!;
    const moveHead = frozen === undefined || frozen[j] === 0;
    const moveTail = frozen === undefined || frozen[k] === 0;
    const tailOwn = k >= firstRow && k < endRow;
    const tailPositions = tailOwn ? layout : others;

    // Attraction along the edge.
    const jx = j * 2;
    const kx = k * 2;
    let dx = layout[jx]! - tailPositions[kx]!;
    let dy = layout[jx + 1]! - tailPositions[kx + 1]!;
    let distSq = dx * dx + dy * dy;
    if (distSq > 0) {
      // TODO: Math.pow here and in the repulsion below takes an estimated 60% of
      // the epoch time on 50,000 rows. A polynomial approximation of d^b would cut it.
      const power = Math.pow(distSq, b);
      const coefficient = attraction * power / (distSq * (a * power + 1));
      const gx = clip(coefficient * dx) * alpha;
      const gy = clip(coefficient * dy) * alpha;
      if (moveHead) {
        layout[jx]! += gx;
        layout[jx + 1]! += gy;
      }
      if (moveTail && tailOwn) {
        layout[kx]! -= gx;
        layout[kx + 1]! -= gy;
      } else if (moveTail) {
        pulls[kx]! -= gx;
        pulls[kx + 1]! -= gy;
      }
    }
    nextSample[e]! += period[e]!;

    // Repulsion from randomly drawn rows. The head stays in locals, rounded
    // to float32 after each step as the layout array would round it.
    const negatives = Math.floor(
      (epoch - nextNegative[e]!) / negativePeriod[e]!,
    );
    nextNegative[e]! += negatives * negativePeriod[e]!;
    if (!moveHead) continue;
    let headX = layout[jx]!;
    let headY = layout[jx + 1]!;
    for (let p = 0; p < negatives; p++) {
      const other = Math.floor(random() * n);
      if (other === j) continue;
      const positions = other >= firstRow && other < endRow ? layout : others;
      dx = headX - positions[other * 2]!;
      dy = headY - positions[other * 2 + 1]!;
      distSq = dx * dx + dy * dy;
      if (distSq <= 0) continue;
      const coefficient = repulsion /
        ((0.001 + distSq) * (a * Math.pow(distSq, b) + 1));
      headX = Math.fround(headX + clip(coefficient * dx) * alpha);
      headY = Math.fround(headY + clip(coefficient * dy) * alpha);
    }
    layout[jx] = headX;
    layout[jx + 1] = headY;
  }
}

/** Adds the collected pulls on rows `[firstRow, endRow)` to the layout and clears them. */
function addPulls(
  layout: Float32Array,
  pulls: Float64Array,
  firstRow: number,
  endRow: number,
): void {
  for (let i = firstRow * 2; i < endRow * 2; i++) {
    const pull = pulls[i]!;
    if (pull === 0) continue;
    layout[i]! += pull;
    pulls[i] = 0;
  }
}

/**
 * Lists the edges that are sampled at all, each with its period in epochs:
 * the strongest edge is sampled every epoch, an edge of weight w every
 * max / w epochs. Edges stay in row order of their head.
 */
function sampledEdges(
  graph: CsrGraph,
  epochs: number,
  negativeSampleRate: number,
): SampledEdges {
  const { n, rowOffsets, columns, weights } = graph;

  // umap-learn's pruning: no edge weaker than max / epochs.
  let maxWeight = 0;
  for (let e = 0; e < weights.length; e++) {
    maxWeight = Math.max(maxWeight, weights[e]!);
  }
  const cutoff = maxWeight / epochs;
  let count = 0;
  for (let e = 0; e < weights.length; e++) {
    if (weights[e]! >= cutoff && weights[e]! > 0) count++;
  }

  // The kept edges with their periods, then the negative samples' periods.
  const heads = new Int32Array(count);
  const tails = new Int32Array(count);
  const period = new Float64Array(count);
  for (let i = 0, edge = 0; i < n; i++) {
    for (let e = rowOffsets[i]!; e < rowOffsets[i + 1]!; e++) {
      const w = weights[e]!;
      if (w < cutoff || w <= 0) continue;
      heads[edge] = i;
      tails[edge] = columns[e]!;
      period[edge++] = maxWeight / w;
    }
  }
  const negativePeriod = new Float64Array(count);
  for (let e = 0; e < count; e++) {
    negativePeriod[e] = period[e]! / negativeSampleRate;
  }
  return {
    n,
    heads,
    tails,
    period,
    nextSample: period.slice(),
    negativePeriod,
    nextNegative: negativePeriod.slice(),
  };
}

/**
 * Returns the row that splits the rows into two halves with about equal
 * work: an edge costs one attraction plus its negative samples, in
 * proportion to 1 / period.
 */
function balancedSplit(edges: SampledEdges): number {
  const { heads, period, n } = edges;
  let total = 0;
  for (let e = 0; e < heads.length; e++) total += 1 / period[e]!;
  let sum = 0;
  for (let e = 0; e < heads.length; e++) {
    sum += 1 / period[e]!;
    if (sum >= total / 2) return Math.min(n - 1, Math.max(1, heads[e]! + 1));
  }
  return n >> 1;
}

/** First edge whose head is `row` or later; edges are in head order. */
function firstEdgeOf(heads: Int32Array, row: number): number {
  let low = 0;
  let high = heads.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (heads[middle]! < row) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A SharedArrayBuffer where available, else a plain one (no helper then). */
function sharedBuffer(bytes: number): ArrayBuffer {
  return typeof SharedArrayBuffer === "undefined"
    ? new ArrayBuffer(bytes)
    : new SharedArrayBuffer(bytes) as unknown as ArrayBuffer;
}

function sharedFloat32(values: Float32Array): Float32Array {
  const copy = new Float32Array(sharedBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

function sharedFloat64(length: number): Float64Array {
  return new Float64Array(sharedBuffer(length * 8));
}

function sharedInt32(values: Int32Array): Int32Array {
  const copy = new Int32Array(sharedBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

function sharedFloat64Copy(values: Float64Array): Float64Array {
  const copy = new Float64Array(sharedBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

/** Copies the edges and their schedules into shared memory. */
function sharedEdges(edges: SampledEdges): SampledEdges {
  return {
    n: edges.n,
    heads: sharedInt32(edges.heads),
    tails: sharedInt32(edges.tails),
    period: sharedFloat64Copy(edges.period),
    nextSample: sharedFloat64Copy(edges.nextSample),
    negativePeriod: sharedFloat64Copy(edges.negativePeriod),
    nextNegative: sharedFloat64Copy(edges.nextNegative),
  };
}

/** Limits one gradient component to [-4, 4], as umap-learn's optimiser does. */
export function clip(value: number): number {
  if (value > GRADIENT_CLIP) return GRADIENT_CLIP;
  if (value < -GRADIENT_CLIP) return -GRADIENT_CLIP;
  return value;
}
