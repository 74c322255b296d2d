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
}

const GRADIENT_CLIP = 4;

/**
 * Moves `layout` (row-major n x 2, changed in place) by UMAP's attractive and
 * repulsive forces over the edges of `graph`, with negative sampling, as
 * umap-learn's single-threaded Euclidean optimiser does. Edges weaker than
 * max / epochs are never sampled, which is umap-learn's pruning rule.
 *
 * The loop allocates nothing and calls Math.pow once per force: the
 * attraction's d^(2(b - 1)) is d^(2b) / d^2. b is near 1 for usual min_dist
 * values but not equal to it, so the power itself stays.
 */
export function optimizeLayout(
  graph: CsrGraph,
  layout: Float32Array,
  options: OptimizeOptions,
): void {
  const { n } = graph;
  const { epochs, a, b, random, frozen } = options;
  if (n < 2 || epochs <= 0) return;
  const edges = sampledEdges(graph, epochs);
  const { heads, tails, period } = edges;
  const edgeCount = heads.length;
  const nextSample = period.slice();
  const negativePeriod = new Float64Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    negativePeriod[e] = period[e]! / options.negativeSampleRate;
  }
  const nextNegative = negativePeriod.slice();
  const attraction = -2 * a * b;
  const repulsion = 2 * options.repulsionStrength * b;

  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = options.learningRate * (1 - epoch / epochs);

    for (let e = 0; e < edgeCount; e++) {
      if (nextSample[e]! > epoch) continue;
      const j = heads[e]!;
      const k = tails[e]!;
      const moveHead = frozen === undefined || frozen[j] === 0;
      const moveTail = frozen === undefined || frozen[k] === 0;

      // Attraction along the edge.
      const jx = j * 2;
      const kx = k * 2;
      let dx = layout[jx]! - layout[kx]!;
      let dy = layout[jx + 1]! - layout[kx + 1]!;
      let distSq = dx * dx + dy * dy;
      if (distSq > 0) {
        const power = Math.pow(distSq, b);
        const coefficient = attraction * power / (distSq * (a * power + 1));
        const gx = clip(coefficient * dx) * alpha;
        const gy = clip(coefficient * dy) * alpha;
        if (moveHead) {
          layout[jx]! += gx;
          layout[jx + 1]! += gy;
        }
        if (moveTail) {
          layout[kx]! -= gx;
          layout[kx + 1]! -= gy;
        }
      }
      nextSample[e]! += period[e]!;

      // Repulsion from randomly drawn points. The head stays in locals,
      // rounded to float32 after each step as the layout array would.
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
        dx = headX - layout[other * 2]!;
        dy = headY - layout[other * 2 + 1]!;
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
    options.onProgress?.((epoch + 1) / epochs, "layout");
  }
}

/**
 * Lists the edges that are sampled at all, each with its period in epochs:
 * the strongest edge is sampled every epoch, an edge of weight w every
 * max / w epochs.
 */
function sampledEdges(
  graph: CsrGraph,
  epochs: number,
): { heads: Int32Array; tails: Int32Array; period: Float64Array } {
  const { n, rowOffsets, columns, weights } = graph;
  let maxWeight = 0;
  for (let e = 0; e < weights.length; e++) {
    maxWeight = Math.max(maxWeight, weights[e]!);
  }
  const cutoff = maxWeight / epochs;
  let count = 0;
  for (let e = 0; e < weights.length; e++) {
    if (weights[e]! >= cutoff && weights[e]! > 0) count++;
  }
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
  return { heads, tails, period };
}

function clip(value: number): number {
  return value > GRADIENT_CLIP
    ? GRADIENT_CLIP
    : value < -GRADIENT_CLIP
    ? -GRADIENT_CLIP
    : value;
}
