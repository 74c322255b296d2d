import { createRandom } from "../random.ts";
import { curveParameters } from "./ab_params.ts";
import { clip } from "./optimize_layout.ts";

/** A fitted layout and the settings it was made with, for placing new points. */
export interface TransformModel {
  /** Row-major n x 2 positions of the model points; never changed here. */
  readonly layout: Float32Array;
  readonly n: number;
  readonly nNeighbors: number;
  readonly minDist: number;
  readonly spread: number;
}

const SMOOTH_TOLERANCE = 1e-5;

/**
 * Places new points into a fitted layout as umap-learn's transform does. Each
 * point gets fuzzy memberships to its model neighbours (local connectivity 0,
 * so no neighbour is at full strength by default) and starts at their
 * membership-weighted mean position. A short optimisation then moves only the
 * new points, so old positions never change on an append.
 *
 * `indices`/`distances` hold `k` model neighbours per new point, ascending.
 */
export function transformPoints(
  model: TransformModel,
  indices: Int32Array,
  distances: Float64Array,
  k: number,
  seed: number,
): Float32Array {
  const m = k > 0 ? indices.length / k : 0;
  const positions = new Float32Array(m * 2);
  if (m === 0 || model.n === 0) return positions;
  const used = Math.min(k, model.nNeighbors);
  const weights = membershipWeights(distances, k, used, model.nNeighbors);

  // Start at the weighted mean of the neighbours' positions.
  for (let i = 0; i < m; i++) {
    let total = 0;
    let x = 0;
    let y = 0;
    for (let j = 0; j < used; j++) {
      const neighbour = indices[i * k + j]!;
      if (neighbour < 0) continue;
      const weight = weights[i * used + j]!;
      total += weight;
      x += weight * model.layout[neighbour * 2]!;
      y += weight * model.layout[neighbour * 2 + 1]!;
    }
    const first = indices[i * k]!;
    positions[i * 2] = total > 0 ? x / total : model.layout[first * 2]!;
    positions[i * 2 + 1] = total > 0 ? y / total : model.layout[first * 2 + 1]!;
  }

  optimizeNewPoints(model, positions, indices, weights, k, used, seed);
  return positions;
}

/** Membership strength of each new point to each of its first `used` neighbours. */
function membershipWeights(
  distances: Float64Array,
  k: number,
  used: number,
  neighbours: number,
): Float64Array {
  const m = distances.length / k;
  const weights = new Float64Array(m * used);
  const target = Math.log2(neighbours);
  for (let i = 0; i < m; i++) {
    let low = 0;
    let high = Infinity;
    let sigma = 1;
    for (let iteration = 0; iteration < 64; iteration++) {
      let sum = 0;
      for (let j = 0; j < used; j++) {
        const d = distances[i * k + j]!;
        if (Number.isFinite(d)) sum += Math.exp(-d / sigma);
      }
      if (Math.abs(sum - target) < SMOOTH_TOLERANCE) break;
      if (sum > target) {
        high = sigma;
        sigma = (low + high) / 2;
      } else {
        low = sigma;
        sigma = high === Infinity ? sigma * 2 : (low + high) / 2;
      }
    }
    sigma = Math.max(sigma, Number.MIN_VALUE);
    for (let j = 0; j < used; j++) {
      const d = distances[i * k + j]!;
      weights[i * used + j] = Number.isFinite(d) ? Math.exp(-d / sigma) : 0;
    }
  }
  return weights;
}

/** Attraction to the neighbours and repulsion from random model points, for the new points only. */
function optimizeNewPoints(
  model: TransformModel,
  positions: Float32Array,
  indices: Int32Array,
  weights: Float64Array,
  k: number,
  used: number,
  seed: number,
): void {
  const m = positions.length / 2;
  const epochs = model.n <= 10_000 ? 100 : 30;
  const { a, b } = curveParameters(model.minDist, model.spread);
  const random = createRandom(seed);
  const negativeRate = 5;

  // Edge periods in epochs, from the weights relative to the strongest.
  let maxWeight = 0;
  for (let e = 0; e < weights.length; e++) {
    maxWeight = Math.max(maxWeight, weights[e]!);
  }
  if (maxWeight === 0) return;
  const period = new Float64Array(weights.length);
  for (let e = 0; e < weights.length; e++) {
    period[e] = weights[e]! >= maxWeight / epochs
      ? maxWeight / weights[e]!
      : -1;
  }
  const nextSample = period.slice();
  const nextNegative = new Float64Array(weights.length);
  for (let e = 0; e < weights.length; e++) {
    nextNegative[e] = period[e]! / negativeRate;
  }

  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = 1 - epoch / epochs;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < used; j++) {
        const e = i * used + j;
        if (period[e]! < 0 || nextSample[e]! > epoch) continue;
        const neighbour = indices[i * k + j]!;
        if (neighbour < 0) continue;

        // Pull towards the neighbour, which stays fixed.
        let dx = positions[i * 2]! - model.layout[neighbour * 2]!;
        let dy = positions[i * 2 + 1]! - model.layout[neighbour * 2 + 1]!;
        let distSq = dx * dx + dy * dy;
        if (distSq > 0) {
          const coefficient = (-2 * a * b * Math.pow(distSq, b - 1)) /
            (a * Math.pow(distSq, b) + 1);
          positions[i * 2]! += clip(coefficient * dx) * alpha;
          positions[i * 2 + 1]! += clip(coefficient * dy) * alpha;
        }
        nextSample[e]! += period[e]!;

        // Push away from random model points.
        const negativePeriod = period[e]! / negativeRate;
        const negatives = Math.floor(
          (epoch - nextNegative[e]!) / negativePeriod,
        );
        for (let p = 0; p < negatives; p++) {
          const other = Math.floor(random() * model.n);
          dx = positions[i * 2]! - model.layout[other * 2]!;
          dy = positions[i * 2 + 1]! - model.layout[other * 2 + 1]!;
          distSq = dx * dx + dy * dy;
          if (distSq <= 0) continue;
          const coefficient = 2 * b /
            ((0.001 + distSq) * (a * Math.pow(distSq, b) + 1));
          positions[i * 2]! += clip(coefficient * dx) * alpha;
          positions[i * 2 + 1]! += clip(coefficient * dy) * alpha;
        }
        nextNegative[e]! += negatives * negativePeriod;
      }
    }
  }
}
