/**
 * The helper thread of core/knn/helper_thread.ts, and its use by UMAP's
 * optimiser and spectral start: a layout must not depend on whether the
 * helper ran.
 */

import assert from "node:assert/strict";
import { allowHelperThreads, HelperThread } from "../core/knn/helper_thread.ts";
import { exactKnn } from "../core/knn/mod.ts";
import { umapLayout } from "../core/umap/mod.ts";
import { blobVectors } from "./_vectors.ts";
import { createRandom } from "../core/random.ts";
import type { CsrGraph } from "../core/umap/fuzzy_graph.ts";
import {
  HALVES_ABOVE_ROWS,
  optimizeLayout,
} from "../core/umap/optimize_layout.ts";

/** Builds a ring where each row links to its 3 nearest rows on either side, weights falling with the step. */
function ringGraph(n: number): CsrGraph {
  const steps = [-3, -2, -1, 1, 2, 3];
  const rowOffsets = new Int32Array(n + 1);
  const columns = new Int32Array(n * steps.length);
  const weights = new Float32Array(n * steps.length);
  for (let row = 0; row < n; row++) {
    rowOffsets[row + 1] = (row + 1) * steps.length;
    steps.forEach((step, s) => {
      columns[row * steps.length + s] = (row + step + n) % n;
      weights[row * steps.length + s] = 1 / Math.abs(step);
    });
  }
  return { n, rowOffsets, columns, weights };
}

function layoutOf(graph: CsrGraph, helperThread: boolean): Float32Array {
  const random = createRandom(11);
  const layout = Float32Array.from(
    { length: graph.n * 2 },
    () => random() * 10,
  );
  optimizeLayout(graph, layout, {
    epochs: 6,
    a: 1.577,
    b: 0.895,
    learningRate: 1,
    repulsionStrength: 1,
    negativeSampleRate: 5,
    random,
    helperThread,
  });
  return layout;
}

Deno.test("helper thread reports a failed task", () => {
  const helper = HelperThread.open();
  assert.ok(helper !== undefined, "no helper thread started");
  try {
    helper.start({
      moduleUrl: new URL("../core/random.ts", import.meta.url).href,
      exportName: "missingFunction",
      args: null,
    });
    assert.throws(() => helper.join(), Error);
  } finally {
    helper.close();
  }
});

Deno.test("optimizeLayout halves same with helper thread", () => {
  const graph = ringGraph(HALVES_ABOVE_ROWS + 2000);
  const alone = layoutOf(graph, false);
  const helped = layoutOf(graph, true);
  assert.ok(alone.every(Number.isFinite), "layout has non-finite values");
  assert.deepEqual(helped, alone);
  assert.deepEqual(layoutOf(graph, true), helped);
});

Deno.test("optimizeLayout halves move every row", () => {
  const graph = ringGraph(HALVES_ABOVE_ROWS + 2000);
  const random = createRandom(11);
  const start = Float32Array.from({ length: graph.n * 2 }, () => random() * 10);
  const layout = layoutOf(graph, true);
  let moved = 0;
  for (let row = 0; row < graph.n; row++) {
    if (layout[row * 2] !== start[row * 2]) moved++;
  }
  assert.ok(moved > graph.n * 0.99, `only ${moved} of ${graph.n} rows moved`);
});

Deno.test("umapLayout same with spectral start on helper", () => {
  const vectors = blobVectors(HALVES_ABOVE_ROWS + 500, 4, 5, 3);
  const knn = exactKnn(vectors, 14, "euclidean");
  const options = {
    nNeighbors: 15,
    minDist: 0.1,
    spread: 1,
    seed: 9,
    nEpochs: 5,
  };
  const helped = umapLayout(knn, options).coordinates;
  allowHelperThreads(false);
  let alone: Float32Array;
  try {
    alone = umapLayout(knn, options).coordinates;
  } finally {
    allowHelperThreads(true);
  }
  assert.ok(helped.every(Number.isFinite), "layout has non-finite values");
  assert.deepEqual(helped, alone);
});
