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
 */
export function optimizeLayout(
  graph: CsrGraph,
  layout: Float32Array,
  options: OptimizeOptions,
): void {
  const { n, rowOffsets, columns, weights } = graph;
  const { epochs, a, b, random, frozen } = options;
  const gamma = options.repulsionStrength;
  if (n < 2 || epochs <= 0) return;

  // Edge list with the epoch period of each edge.
  let maxWeight = 0;
  for (let e = 0; e < weights.length; e++) {
    maxWeight = Math.max(maxWeight, weights[e]!);
  }
  const cutoff = maxWeight / epochs;
  let edgeCount = 0;
  for (let e = 0; e < weights.length; e++) {
    if (weights[e]! >= cutoff && weights[e]! > 0) edgeCount++;
  }
  const heads = new Int32Array(edgeCount);
  const tails = new Int32Array(edgeCount);
  const period = new Float64Array(edgeCount);
  for (let i = 0, edge = 0; i < n; i++) {
    for (let e = rowOffsets[i]!; e < rowOffsets[i + 1]!; e++) {
      const w = weights[e]!;
      if (w < cutoff || w <= 0) continue;
      heads[edge] = i;
      tails[edge] = columns[e]!;
      period[edge++] = maxWeight / w;
    }
  }
  const nextSample = period.slice();
  const negativePeriod = new Float64Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    negativePeriod[e] = period[e]! / options.negativeSampleRate;
  }
  const nextNegative = negativePeriod.slice();

  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = options.learningRate * (1 - epoch / epochs);

    for (let e = 0; e < edgeCount; e++) {
      if (nextSample[e]! > epoch) continue;
      const j = heads[e]!;
      const k = tails[e]!;
      const moveHead = !frozen || frozen[j] === 0;
      const moveTail = !frozen || frozen[k] === 0;

      // Attraction along the edge.
      const jx = j * 2;
      const kx = k * 2;
      let dx = layout[jx]! - layout[kx]!;
      let dy = layout[jx + 1]! - layout[kx + 1]!;
      let distSq = dx * dx + dy * dy;
      if (distSq > 0) {
        const coefficient = (-2 * a * b * Math.pow(distSq, b - 1)) /
          (a * Math.pow(distSq, b) + 1);
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

      // Repulsion from randomly drawn points.
      const negatives = Math.floor(
        (epoch - nextNegative[e]!) / negativePeriod[e]!,
      );
      for (let p = 0; p < negatives; p++) {
        const other = Math.floor(random() * n);
        if (other === j || !moveHead) continue;
        const ox = other * 2;
        dx = layout[jx]! - layout[ox]!;
        dy = layout[jx + 1]! - layout[ox + 1]!;
        distSq = dx * dx + dy * dy;
        if (distSq <= 0) continue;
        const coefficient = (2 * gamma * b) /
          ((0.001 + distSq) * (a * Math.pow(distSq, b) + 1));
        layout[jx]! += clip(coefficient * dx) * alpha;
        layout[jx + 1]! += clip(coefficient * dy) * alpha;
      }
      nextNegative[e]! += negatives * negativePeriod[e]!;
    }
    options.onProgress?.((epoch + 1) / epochs, "layout");
  }
}

function clip(value: number): number {
  return value > GRADIENT_CLIP
    ? GRADIENT_CLIP
    : value < -GRADIENT_CLIP
    ? -GRADIENT_CLIP
    : value;
}
