import { createRandom } from "../random.ts";
import type { Random } from "../types.ts";
import type { CsrGraph } from "./fuzzy_graph.ts";

const ITERATIONS = 120;

/**
 * Computes a 2-D starting layout from the graph's spectrum: the two leading
 * non-trivial eigenvectors of D^-1/2 W D^-1/2 by subspace iteration, the
 * usual UMAP start. The result is scaled to [0, 10] per axis, as umap-learn
 * scales its start, and returned row-major `n x 2`.
 *
 * NOTE: a fixed iteration count replaces a convergence test, so graphs
 * with many nearly disconnected parts get a mixed (still usable) start.
 */
export function spectralLayout(graph: CsrGraph, random: Random): Float32Array {
  const { n, rowOffsets, weights } = graph;
  const layout = new Float32Array(n * 2);
  if (n <= 2) {
    for (let i = 0; i < n; i++) layout[i * 2] = i * 10;
    return layout;
  }

  // Degrees and the trivial eigenvector sqrt(d), normalised.
  const inverseRoot = new Float64Array(n);
  const trivial = new Float64Array(n);
  let trivialNorm = 0;
  for (let i = 0; i < n; i++) {
    let degree = 0;
    for (let e = rowOffsets[i]!; e < rowOffsets[i + 1]!; e++) {
      degree += weights[e]!;
    }
    inverseRoot[i] = degree > 0 ? 1 / Math.sqrt(degree) : 0;
    trivial[i] = Math.sqrt(degree);
    trivialNorm += degree;
  }
  trivialNorm = Math.sqrt(trivialNorm) || 1;
  for (let i = 0; i < n; i++) trivial[i]! /= trivialNorm;

  // Two random start vectors, iterated with (I + M) / 2 so that no eigenvalue
  // is negative and the leading ones win.
  let u = new Float64Array(n);
  let v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = random() - 0.5;
    v[i] = random() - 0.5;
  }
  let nextU = new Float64Array(n);
  let nextV = new Float64Array(n);
  const scaled = scaledWeights(graph, inverseRoot);
  const pair = new Float64Array(n * 2);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    multiplyPair(graph, scaled, inverseRoot, u, v, nextU, nextV, pair);
    [u, nextU] = [nextU, u];
    [v, nextV] = [nextV, v];
    orthonormalise(u, v, trivial);
  }

  // Back to the random-walk eigenvectors, then scaled into [0, 10].
  for (let i = 0; i < n; i++) {
    layout[i * 2] = u[i]! * inverseRoot[i]!;
    layout[i * 2 + 1] = v[i]! * inverseRoot[i]!;
  }
  rescale(layout, n, random);
  return layout;
}

/** The argument of {@link spectralLayoutTask}. */
export interface SpectralTask {
  graph: CsrGraph;
  seed: number;
  /** Row-major n x 2, in shared memory, for the layout. */
  out: Float32Array;
}

/**
 * Computes {@link spectralLayout} with a random sequence from `seed` into
 * `out`, for a helper thread (see core/knn/helper_thread.ts).
 */
export function spectralLayoutTask(task: SpectralTask): void {
  task.out.set(spectralLayout(task.graph, createRandom(task.seed)));
}

/** Returns w(i, j) / sqrt(d(j)) for every stored edge (i, j), in CSR order. */
function scaledWeights(
  graph: CsrGraph,
  inverseRoot: Float64Array,
): Float64Array {
  const { columns, weights } = graph;
  const scaled = new Float64Array(columns.length);
  for (let e = 0; e < columns.length; e++) {
    scaled[e] = weights[e]! * inverseRoot[columns[e]!]!;
  }
  return scaled;
}

/**
 * Computes outX = (x + M x) / 2 and outY = (y + M y) / 2 for
 * M = D^-1/2 W D^-1/2, in one pass over the graph. The pass is bound by its
 * random reads of the vectors, so it reads x and y interleaved in `pair`
 * (one cache line for both) and takes the scaled weights precomputed.
 */
function multiplyPair(
  graph: CsrGraph,
  scaled: Float64Array,
  inverseRoot: Float64Array,
  x: Float64Array,
  y: Float64Array,
  outX: Float64Array,
  outY: Float64Array,
  pair: Float64Array,
): void {
  const { n, rowOffsets, columns } = graph;
  for (let i = 0; i < n; i++) {
    pair[i * 2] = x[i]!;
    pair[i * 2 + 1] = y[i]!;
  }
  for (let i = 0; i < n; i++) {
    let sumX = 0;
    let sumY = 0;
    for (let e = rowOffsets[i]!; e < rowOffsets[i + 1]!; e++) {
      const j = columns[e]! * 2;
      const weight = scaled[e]!;
      sumX += weight * pair[j]!;
      sumY += weight * pair[j + 1]!;
    }
    outX[i] = (x[i]! + inverseRoot[i]! * sumX) / 2;
    outY[i] = (y[i]! + inverseRoot[i]! * sumY) / 2;
  }
}

/** Gram-Schmidt of u and v against `trivial` and each other. */
function orthonormalise(
  u: Float64Array,
  v: Float64Array,
  trivial: Float64Array,
): void {
  removeComponent(u, trivial);
  normalise(u);
  removeComponent(v, trivial);
  removeComponent(v, u);
  normalise(v);
}

function removeComponent(x: Float64Array, unit: Float64Array): void {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i]! * unit[i]!;
  for (let i = 0; i < x.length; i++) x[i]! -= dot * unit[i]!;
}

function normalise(x: Float64Array): void {
  let norm = 0;
  for (let i = 0; i < x.length; i++) norm += x[i]! * x[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < x.length; i++) x[i]! /= norm;
}

/** Scales each axis of a row-major n x 2 layout into [0, 10], with a little jitter. */
export function rescale(layout: Float32Array, n: number, random: Random): void {
  for (let axis = 0; axis < 2; axis++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const value = layout[i * 2 + axis]!;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const range = max - min || 1;
    for (let i = 0; i < n; i++) {
      const value = layout[i * 2 + axis]!;
      layout[i * 2 + axis] = (10 * (value - min)) / range +
        (random() - 0.5) * 1e-4;
    }
  }
}
