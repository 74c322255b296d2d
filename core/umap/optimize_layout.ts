import {
  HelperThread,
  signalCount,
  waitForCount,
} from "../knn/helper_thread.ts";
import type { ProgressCallback, Random } from "../types.ts";
import type { CsrGraph } from "./fuzzy_graph.ts";
import {
  allocateLayoutArrays,
  fillForceTables,
  FORCE_TABLE_LENGTH,
  type LayoutArrays,
  type LayoutKernel,
  layoutKernel,
} from "./layout_kernel.ts";

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
 * The epochs run in a WebAssembly kernel (layout_kernel.wat) over arrays in
 * one WebAssembly memory. It interpolates the distance-dependent parts of
 * both forces from tables of 64 points per octave of d^2 (within 2e-4 of
 * the exact values for min_dist 0.1) and draws negative samples with
 * SplitMix32 seeded from `random`. The negative samples of one
 * edge all push from the head's position after its attraction, and their
 * pushes add up, so the processor can work on them side by side: umap-learn
 * moves the head after each one.
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
  const { memory, arrays } = sampledEdges(
    graph,
    epochs,
    options.negativeSampleRate,
    options.a,
    options.b,
  );
  const positions = new Float32Array(memory.buffer, arrays.layout, n * 2);
  positions.set(layout);
  const seeds = new Int32Array(memory.buffer, arrays.random, 2);
  seeds[0] = Math.floor(options.random() * 4294967296);
  if (n <= HALVES_ABOVE_ROWS) {
    optimizeWhole(memory, arrays, options);
  } else {
    seeds[1] = Math.floor(options.random() * 4294967296);
    optimizeInHalves(memory, arrays, options);
  }
  layout.set(positions);
}

/** One thread's share of an epoch: its rows, their edges and its settings. */
interface Share {
  readonly arrays: LayoutArrays;
  readonly firstEdge: number;
  readonly endEdge: number;
  /** Its rows are `[firstRow, endRow)`; it moves them in the layout. */
  readonly firstRow: number;
  readonly endRow: number;
  /** Offset of the positions it reads for other rows: the live layout, or their start positions. */
  readonly others: number;
  /** Offset of its pulls on the other rows. */
  readonly pulls: number;
  /** Offset of its random state. */
  readonly random: number;
  readonly a: number;
  readonly b: number;
  readonly attraction: number;
  readonly repulsion: number;
  readonly negativeSampleRate: number;
}

/** The settings of the descent that a {@link Share} needs. */
type ShareSettings = Pick<
  OptimizeOptions,
  "a" | "b" | "repulsionStrength" | "negativeSampleRate"
>;

/** Runs every epoch over all rows in umap-learn's order. */
function optimizeWhole(
  memory: WebAssembly.Memory,
  arrays: LayoutArrays,
  options: OptimizeOptions,
): void {
  const kernel = layoutKernel(memory);
  const heads = new Int32Array(memory.buffer, arrays.heads, arrays.edgeCount);
  const share = createShare(arrays, heads, 0, arrays.n, options);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const alpha = options.learningRate * (1 - epoch / options.epochs);
    runEpoch(kernel.runEpoch, share, epoch, alpha);
    options.onProgress?.((epoch + 1) / options.epochs, "layout");
  }
}

/** Runs every epoch as two halves, the second on a helper thread when one starts. */
function optimizeInHalves(
  memory: WebAssembly.Memory,
  arrays: LayoutArrays,
  options: OptimizeOptions,
): void {
  const { n } = arrays;
  const kernel = layoutKernel(memory);
  const heads = new Int32Array(memory.buffer, arrays.heads, arrays.edgeCount);
  const period = new Float64Array(
    memory.buffer,
    arrays.period,
    arrays.edgeCount,
  );
  const split = balancedSplit(heads, period, n);
  const live = new Float32Array(memory.buffer, arrays.layout, n * 2);
  const start = new Float32Array(memory.buffer, arrays.start, n * 2);
  const pulls = arrays.pulls.map((offset) =>
    new Float64Array(memory.buffer, offset, n * 2)
  );
  start.set(live);
  const sync = new Int32Array(new SharedArrayBuffer(8));
  const first = createShare(arrays, heads, 0, split, options);

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
          memory,
          arrays,
          split,
          a: options.a,
          b: options.b,
          repulsionStrength: options.repulsionStrength,
          negativeSampleRate: options.negativeSampleRate,
          learningRate: options.learningRate,
          epochs: options.epochs,
          sync,
        } satisfies SecondHalfTask,
      });
      // The helper runs its half meanwhile, and the first half waits for it.
      runSecond = (epoch) => signalCount(sync, GO, epoch + 1);
    } else {
      const second = createShare(arrays, heads, split, n, options);
      runSecond = (epoch, alpha) =>
        runEpoch(kernel.runEpoch, second, epoch, alpha);
    }

    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const alpha = options.learningRate * (1 - epoch / options.epochs);
      runSecond(epoch, alpha);
      runEpoch(kernel.runEpoch, first, epoch, alpha);
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
}

/** Slots of the epoch handshake with the helper thread. */
const GO = 0;
const DONE = 1;

/** The argument of {@link runSecondHalf}; the memory and `sync` are shared. */
interface SecondHalfTask extends ShareSettings {
  memory: WebAssembly.Memory;
  arrays: LayoutArrays;
  split: number;
  learningRate: number;
  epochs: number;
  sync: Int32Array;
}

/**
 * Runs the second half of every epoch on a helper thread (see
 * core/knn/helper_thread.ts), each epoch after the caller signals it, and
 * signals each one done.
 */
export function runSecondHalf(task: SecondHalfTask): void {
  const { memory, arrays, sync } = task;
  const kernel = layoutKernel(memory);
  const heads = new Int32Array(memory.buffer, arrays.heads, arrays.edgeCount);
  const share = createShare(arrays, heads, task.split, arrays.n, task);
  for (let epoch = 0; epoch < task.epochs; epoch++) {
    while (Atomics.load(sync, GO) < epoch + 1) {
      Atomics.wait(sync, GO, epoch);
    }
    const alpha = task.learningRate * (1 - epoch / task.epochs);
    runEpoch(kernel.runEpoch, share, epoch, alpha);
    signalCount(sync, DONE, epoch + 1);
  }
}

/**
 * Describes the rows `[firstRow, endRow)` and their edges as a
 * {@link Share}. The whole layout reads every row from the live positions.
 * A half reads the other half's rows from their start positions, and keeps
 * its pulls and its random state in the slots of its half.
 */
function createShare(
  arrays: LayoutArrays,
  heads: Int32Array,
  firstRow: number,
  endRow: number,
  settings: ShareSettings,
): Share {
  const whole = firstRow === 0 && endRow === arrays.n;
  const half = firstRow === 0 ? 0 : 1;
  const { a, b } = settings;
  return {
    arrays,
    firstEdge: firstEdgeOf(heads, firstRow),
    endEdge: firstEdgeOf(heads, endRow),
    firstRow,
    endRow,
    others: whole ? arrays.layout : arrays.start,
    pulls: arrays.pulls[half],
    random: arrays.random + half * 4,
    a,
    b,
    attraction: -2 * a * b,
    repulsion: 2 * settings.repulsionStrength * b,
    negativeSampleRate: settings.negativeSampleRate,
  };
}

/** Samples the due edges of `share` in one epoch, in the kernel. */
function runEpoch(
  kernel: LayoutKernel["runEpoch"],
  share: Share,
  epoch: number,
  alpha: number,
): void {
  const { arrays } = share;
  kernel(
    arrays.heads,
    arrays.tails,
    arrays.period,
    arrays.nextSample,
    arrays.nextNegative,
    share.firstEdge,
    share.endEdge,
    arrays.layout,
    share.others,
    share.pulls,
    share.firstRow,
    share.endRow,
    arrays.n,
    epoch,
    alpha,
    share.a,
    share.b,
    share.attraction,
    share.repulsion,
    share.negativeSampleRate,
    share.random,
    arrays.forceTables,
  );
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
 * Lists the edges that are sampled at all in a new kernel memory, in row
 * order of their head. The strongest edge is sampled every epoch, an edge of
 * weight w every max / w epochs, and its negative samples
 * `negativeSampleRate` times as often.
 */
function sampledEdges(
  graph: CsrGraph,
  epochs: number,
  negativeSampleRate: number,
  a: number,
  b: number,
): { memory: WebAssembly.Memory; arrays: LayoutArrays } {
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

  const { memory, arrays } = allocateLayoutArrays(n, count);
  const { buffer } = memory;
  fillForceTables(
    new Float64Array(buffer, arrays.forceTables, FORCE_TABLE_LENGTH * 2),
    a,
    b,
  );
  const heads = new Int32Array(buffer, arrays.heads, count);
  const tails = new Int32Array(buffer, arrays.tails, count);
  const period = new Float64Array(buffer, arrays.period, count);
  const nextSample = new Float64Array(buffer, arrays.nextSample, count);
  const nextNegative = new Float64Array(buffer, arrays.nextNegative, count);
  for (let i = 0, edge = 0; i < n; i++) {
    for (let e = rowOffsets[i]!; e < rowOffsets[i + 1]!; e++) {
      const w = weights[e]!;
      if (w < cutoff || w <= 0) continue;
      heads[edge] = i;
      tails[edge] = columns[e]!;
      period[edge] = nextSample[edge] = maxWeight / w;
      nextNegative[edge] = period[edge]! / negativeSampleRate;
      edge++;
    }
  }
  return { memory, arrays };
}

/**
 * Returns the row that splits the rows into two halves with about equal
 * work: an edge costs one attraction plus its negative samples, in
 * proportion to 1 / period.
 */
function balancedSplit(
  heads: Int32Array,
  period: Float64Array,
  n: number,
): number {
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

/** Limits one gradient component to [-4, 4], as umap-learn's optimiser does. */
export function clip(value: number): number {
  if (value > GRADIENT_CLIP) return GRADIENT_CLIP;
  if (value < -GRADIENT_CLIP) return -GRADIENT_CLIP;
  return value;
}
