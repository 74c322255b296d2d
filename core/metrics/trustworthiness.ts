import type { Metric, Vectors } from "../types.ts";

/**
 * Measures how well a layout keeps neighbourhoods: scikit-learn's
 * trustworthiness, which penalises points that are near in the layout but far
 * in the input by how far down the input ranking they sit. 1 is perfect.
 *
 * With `queries` smaller than n, the sum runs over an evenly spaced sample of
 * points (each still ranked against all n), an unbiased estimate that keeps
 * the cost at O(queries * n * dim).
 */
export function trustworthiness(
  vectors: Vectors,
  layout: Float32Array,
  k: number,
  metric: Metric,
  queries = vectors.n,
): number {
  const { n, dim, data } = vectors;
  if (k >= n / 2) {
    throw new RangeError(
      `Invalid k ${k} for ${n} points: trustworthiness needs k < n / 2`,
    );
  }
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < dim; c++) sum += data[i * dim + c]! ** 2;
    norms[i] = Math.sqrt(sum);
  }
  const inputDistance = new Float64Array(n);
  const layoutDistance = new Float64Array(n);
  const nearest = new Int32Array(k);
  const step = n / Math.min(queries, n);
  let penalty = 0;
  let counted = 0;

  for (let q = 0; q < n; q += step) {
    const i = Math.floor(q);
    counted++;

    // Distances from i in the input and in the layout.
    for (let j = 0; j < n; j++) {
      let dot = 0;
      let squared = 0;
      for (let c = 0; c < dim; c++) {
        const x = data[i * dim + c]!;
        const y = data[j * dim + c]!;
        dot += x * y;
        squared += (x - y) * (x - y);
      }
      const denominator = norms[i]! * norms[j]!;
      inputDistance[j] = metric === "cosine"
        ? (denominator > 0 ? 1 - dot / denominator : 1)
        : squared;
      const dx = layout[i * 2]! - layout[j * 2]!;
      const dy = layout[i * 2 + 1]! - layout[j * 2 + 1]!;
      layoutDistance[j] = dx * dx + dy * dy;
    }
    inputDistance[i] = -Infinity;
    layoutDistance[i] = Infinity;

    // The k nearest in the layout, then their rank in the input.
    selectNearest(layoutDistance, nearest);
    for (let m = 0; m < k; m++) {
      const j = nearest[m]!;
      const threshold = inputDistance[j]!;
      let rank = 0;
      for (let l = 0; l < n; l++) {
        const d = inputDistance[l]!;
        if (l !== i && (d < threshold || (d === threshold && l < j))) rank++;
      }
      rank += 1;
      if (rank > k) penalty += rank - k;
    }
  }
  const scale = 2 / (counted * k * (2 * n - 3 * k - 1));
  return 1 - scale * penalty;
}

/** Fills `out` with the indices of the out.length smallest values, any order. */
function selectNearest(values: Float64Array, out: Int32Array): void {
  const k = out.length;
  const best = new Float64Array(k).fill(Infinity);
  out.fill(-1);
  for (let j = 0; j < values.length; j++) {
    const value = values[j]!;
    if (value >= best[k - 1]!) continue;
    let slot = k - 1;
    while (slot > 0 && best[slot - 1]! > value) {
      best[slot] = best[slot - 1]!;
      out[slot] = out[slot - 1]!;
      slot--;
    }
    best[slot] = value;
    out[slot] = j;
  }
}
