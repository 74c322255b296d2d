/**
 * UMAP over typed arrays: the fuzzy graph from a shared k-nearest-neighbour
 * graph, a spectral start and umap-learn's optimiser.
 *
 * @module
 */
import type { KnnGraph, Layout, ProgressCallback } from "../types.ts";
import { createRandom } from "../random.ts";
import { curveParameters } from "./ab_params.ts";
import { fuzzyGraph } from "./fuzzy_graph.ts";
import { optimizeLayout } from "./optimize_layout.ts";
import { rescale, spectralLayout } from "./spectral_init.ts";

export type { CsrGraph } from "./fuzzy_graph.ts";
export { fuzzyGraph } from "./fuzzy_graph.ts";

/** Parameters of the projection, named after umap-learn's. */
export interface UmapOptions {
  /** Neighbourhood size, counting the point itself as umap-learn does. */
  nNeighbors: number;
  minDist: number;
  spread: number;
  /** Defaults to 500 up to 10,000 rows and 200 above, as in umap-learn. */
  nEpochs?: number;
  seed: number;
  /** A start layout (row-major n x 2), for example the previous model's. */
  initial?: Float32Array;
  onProgress?: ProgressCallback;
}

export const DEFAULT_UMAP_OPTIONS: Omit<UmapOptions, "seed"> = {
  nNeighbors: 15,
  minDist: 0.1,
  spread: 1,
};

/**
 * Projects the points of `knn` to 2-D. The same graph, options and seed give
 * the same layout, bit for bit.
 */
export function umapLayout(knn: KnnGraph, options: UmapOptions): Layout {
  const { n } = knn;
  if (options.nNeighbors < 2) {
    throw new RangeError(
      `Invalid n_neighbors ${options.nNeighbors}: it counts the point itself, so use 2 or more (15 is usual)`,
    );
  }
  if (knn.k < Math.min(options.nNeighbors - 1, n - 1)) {
    throw new RangeError(
      `Neighbour graph too small: k = ${knn.k} for n_neighbors ${options.nNeighbors}; build it with k >= ${
        options.nNeighbors - 1
      }`,
    );
  }
  const random = createRandom(options.seed);

  // Too few points for a neighbourhood: spread them on a line.
  if (n <= 2) {
    const coordinates = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) coordinates[i * 2] = i * 10;
    return { n, coordinates };
  }

  // Graph, start, then the optimisation.
  const graph = fuzzyGraph(knn, options.nNeighbors);
  options.onProgress?.(0, "layout");
  let coordinates: Float32Array;
  if (options.initial && options.initial.length === n * 2) {
    coordinates = options.initial.slice();
    rescale(coordinates, n, random);
  } else {
    coordinates = spectralLayout(graph, random);
  }
  const { a, b } = curveParameters(options.minDist, options.spread);
  optimizeLayout(graph, coordinates, {
    epochs: options.nEpochs ?? (n <= 10_000 ? 500 : 200),
    a,
    b,
    learningRate: 1,
    repulsionStrength: 1,
    negativeSampleRate: 5,
    random,
    onProgress: options.onProgress,
  });
  return { n, coordinates };
}
