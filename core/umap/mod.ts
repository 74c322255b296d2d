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
import { HALVES_ABOVE_ROWS, optimizeLayout } from "./optimize_layout.ts";
import { rescale, spectralLayout, type SpectralTask } from "./spectral_init.ts";
import { HelperThread } from "../knn/helper_thread.ts";
import type { CsrGraph } from "./fuzzy_graph.ts";

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
  return startUmapLayout(knn, options).finish();
}

/** A projection whose start layout may still be computing on a helper thread. */
export interface PendingLayout {
  /** Waits for the start layout, then optimises it. */
  finish(): Layout;
}

/**
 * Starts {@link umapLayout}: builds the fuzzy graph and starts the spectral
 * start layout on a helper thread where one is allowed, so the caller can
 * work on something else (HDBSCAN, in the fit) before calling `finish`. The
 * layout is the same whether or not the helper runs.
 */
export function startUmapLayout(
  knn: KnnGraph,
  options: UmapOptions,
): PendingLayout {
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
    return { finish: () => ({ n, coordinates }) };
  }

  // The graph, then the start: the given one, or the spectral one.
  const graph = fuzzyGraph(knn, options.nNeighbors);
  const spectralSeed = Math.floor(random() * 4294967296);
  let start: () => Float32Array;
  if (options.initial && options.initial.length === n * 2) {
    const coordinates = options.initial.slice();
    rescale(coordinates, n, random);
    start = () => coordinates;
  } else {
    start = startSpectralLayout(graph, spectralSeed);
  }

  return {
    finish(): Layout {
      options.onProgress?.(0, "layout");
      const coordinates = start();
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
    },
  };
}

/**
 * Starts the spectral layout of `graph` on a helper thread and returns a
 * function that waits for it. Graphs of up to HALVES_ABOVE_ROWS rows, too
 * small to gain from a thread, start no helper. Without a helper, or when
 * the helper's task fails, the layout is computed on this thread, with the
 * same result.
 */
function startSpectralLayout(
  graph: CsrGraph,
  seed: number,
): () => Float32Array {
  const inline = () => spectralLayout(graph, createRandom(seed));
  const helper = graph.n > HALVES_ABOVE_ROWS ? HelperThread.open() : undefined;
  if (helper === undefined) {
    const coordinates = inline();
    return () => coordinates;
  }
  const out = new Float32Array(new SharedArrayBuffer(graph.n * 8));
  helper.start({
    moduleUrl: new URL("./spectral_init.ts", import.meta.url).href,
    exportName: "spectralLayoutTask",
    args: { graph, seed, out } satisfies SpectralTask,
  });
  return () => {
    try {
      helper.join();
      return out;
    } catch {
      // The helper reports no details, so the work runs again on this thread.
      return inline();
    } finally {
      helper.close();
    }
  };
}
