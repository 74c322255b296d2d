import type { KnnGraph } from "../types.ts";

/** Symmetric weighted graph in compressed sparse row form. */
export interface CsrGraph {
  readonly n: number;
  /** Row `i` spans `[rowOffsets[i], rowOffsets[i + 1])` of `columns` and `weights`. */
  readonly rowOffsets: Int32Array;
  readonly columns: Int32Array;
  readonly weights: Float32Array;
}

const SMOOTH_TOLERANCE = 1e-5;
const SMOOTH_ITERATIONS = 64;
const MIN_DISTANCE_SCALE = 1e-3;

/**
 * Computes each point's distance to its nearest neighbour (rho) and the
 * bandwidth (sigma) at which its membership strengths sum to log2(k), as in
 * UMAP's smooth_knn_dist with local connectivity 1. `neighbours` counts the
 * point itself, as umap-learn's n_neighbors does, so rows use `neighbours - 1`
 * graph entries.
 */
export function smoothDistances(
  knn: KnnGraph,
  neighbours: number,
): { sigmas: Float64Array; rhos: Float64Array } {
  const { n, k, distances, indices } = knn;
  const used = Math.min(k, neighbours - 1);
  const target = Math.log2(neighbours);
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);

  let totalMean = 0;
  for (let i = 0; i < n * k; i++) {
    if (indices[i]! >= 0) totalMean += distances[i]!;
  }
  totalMean /= Math.max(1, n * k);

  for (let i = 0; i < n; i++) {
    const row = i * k;

    // The first positive distance is rho; duplicates at distance 0 are skipped.
    let rho = 0;
    let mean = 0;
    let count = 0;
    for (let j = 0; j < used; j++) {
      if (indices[row + j]! < 0) break;
      const d = distances[row + j]!;
      mean += d;
      count++;
      if (rho === 0 && d > 0) rho = d;
    }
    mean = count > 0 ? mean / count : 0;
    rhos[i] = rho;

    // Binary search on sigma; the sum is monotone in it.
    let low = 0;
    let high = Infinity;
    let sigma = 1;
    for (let iteration = 0; iteration < SMOOTH_ITERATIONS; iteration++) {
      let sum = 0;
      for (let j = 0; j < used; j++) {
        if (indices[row + j]! < 0) break;
        const excess = distances[row + j]! - rho;
        sum += excess > 0 ? Math.exp(-excess / sigma) : 1;
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

    // A floor keeps sigma from collapsing where all neighbours coincide.
    const floor = MIN_DISTANCE_SCALE * (rho > 0 ? mean : totalMean);
    sigmas[i] = Math.max(sigma, floor, Number.MIN_VALUE);
  }
  return { sigmas, rhos };
}

/**
 * Builds UMAP's fuzzy simplicial set from a k-nearest-neighbour graph: the
 * directed membership strengths w, combined by fuzzy union w + w' - w * w'.
 * Each undirected edge appears in both rows it joins.
 */
export function fuzzyGraph(knn: KnnGraph, neighbours: number): CsrGraph {
  const { n, k, indices, distances } = knn;
  const used = Math.min(k, neighbours - 1);
  const { sigmas, rhos } = smoothDistances(knn, neighbours);

  // Directed strengths, laid out like the kNN graph (n x used).
  const strengths = new Float64Array(n * used);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < used; j++) {
      const slot = i * k + j;
      if (indices[slot]! < 0) continue;
      const excess = distances[slot]! - rhos[i]!;
      strengths[i * used + j] = excess <= 0
        ? 1
        : Math.exp(-excess / sigmas[i]!);
    }
  }

  // Count each row: its own neighbours plus points that list it but that it
  // does not list back.
  const rowCounts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < used; j++) {
      const other = indices[i * k + j]!;
      if (other < 0 || other === i) continue;
      rowCounts[i]!++;
      if (findNeighbour(indices, k, used, other, i) < 0) rowCounts[other]!++;
    }
  }
  const rowOffsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    rowOffsets[i + 1] = rowOffsets[i]! + rowCounts[i]!;
  }

  // Fill rows; `cursor` tracks the next free slot of each row.
  const total = rowOffsets[n]!;
  const columns = new Int32Array(total);
  const weights = new Float32Array(total);
  const cursor = rowOffsets.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < used; j++) {
      const other = indices[i * k + j]!;
      if (other < 0 || other === i) continue;
      const forward = strengths[i * used + j]!;
      const back = findNeighbour(indices, k, used, other, i);
      const backward = back < 0 ? 0 : strengths[other * used + back]!;
      const weight = forward + backward - forward * backward;
      columns[cursor[i]!] = other;
      weights[cursor[i]!++] = weight;
      if (back < 0) {
        columns[cursor[other]!] = i;
        weights[cursor[other]!++] = weight;
      }
    }
  }
  return { n, rowOffsets, columns, weights };
}

function findNeighbour(
  indices: Int32Array,
  k: number,
  used: number,
  row: number,
  target: number,
): number {
  const start = row * k;
  for (let j = 0; j < used; j++) {
    if (indices[start + j] === target) return j;
  }
  return -1;
}
