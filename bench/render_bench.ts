/**
 * Benchmarks of the SVG renderers on generated Gaussian blobs.
 *
 *   deno bench --allow-read --allow-env bench/render_bench.ts
 *
 * The baseline of the "scatter" group is the dots path at 1,000 points, the
 * default maxDots and so the largest scatter drawn as dots by default. The
 * density path at 10k and 200k points and the dots path forced to 10k points
 * are compared with it.
 */

import {
  clusterMask,
  renderHistogram,
  renderScatter,
  renderTopValues,
} from "../render/mod.ts";

/** Seeded uniform numbers in [0, 1) (mulberry32). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian blobs around random centres, with 10% uniform noise. */
function gaussianBlobs(count: number, clusters: number, seed: number) {
  const random = createRandom(seed);
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from(
    { length: clusters },
    () => [random() * 20, random() * 12] as const,
  );
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const labels = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    if (random() < 0.1) {
      labels[row] = -1;
      x[row] = random() * 22 - 1;
      y[row] = random() * 14 - 1;
      continue;
    }
    const label = Math.floor(random() * clusters);
    labels[row] = label;
    x[row] = centres[label]![0] + gaussian();
    y[row] = centres[label]![1] + gaussian() * 0.8;
  }
  return { x, y, labels };
}

const POINTS_1K = gaussianBlobs(1_000, 12, 1);
const POINTS_10K = gaussianBlobs(10_000, 12, 2);
const POINTS_200K = gaussianBlobs(200_000, 12, 3);

Deno.bench({
  name: "dots, 1k points",
  group: "scatter",
  baseline: true,
  fn: () => {
    renderScatter(POINTS_1K);
  },
});

Deno.bench({
  name: "dots, 10k points (maxDots raised)",
  group: "scatter",
  fn: () => {
    renderScatter({ ...POINTS_10K, maxDots: 10_000 });
  },
});

Deno.bench({
  name: "density, 10k points",
  group: "scatter",
  fn: () => {
    renderScatter(POINTS_10K);
  },
});

Deno.bench({
  name: "density, 200k points",
  group: "scatter",
  fn: () => {
    renderScatter(POINTS_200K);
  },
});

const VALUES_200K = Float64Array.from(POINTS_200K.x, (x) => x * 3);
const CATEGORIES_200K = Array.from(
  POINTS_200K.labels,
  (label, row) => `category ${(label + 1 + (row % 7)) % 40}`,
);
const SELECTION_200K = clusterMask(POINTS_200K.labels, 3);

Deno.bench({
  name: "histogram, 200k rows",
  group: "columns",
  baseline: true,
  fn: () => {
    renderHistogram({
      values: VALUES_200K,
      selection: SELECTION_200K,
      column: "value",
      cluster: 3,
    });
  },
});

Deno.bench({
  name: "top values, 200k rows",
  group: "columns",
  fn: () => {
    renderTopValues({
      values: CATEGORIES_200K,
      selection: SELECTION_200K,
      column: "category",
      cluster: 3,
    });
  },
});
