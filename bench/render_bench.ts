/**
 * Benchmarks of the SVG renderers on generated Gaussian blobs.
 *
 *   deno bench --allow-read --allow-env bench/render_bench.ts
 *
 * The baseline of the "scatter" group is the dots path at 1,000 points, the
 * default maxDots and so the largest scatter drawn as dots by default. The
 * density path at 10k and 200k points (at the default 640x400 and at the
 * dashboard's 720x520) and the dots path forced to 10k points are compared
 * with it. bench/render_size.ts records the size of the same SVGs.
 */

import {
  clusterMask,
  renderHistogram,
  renderScatter,
  renderTopValues,
} from "../render/mod.ts";
import { gaussianBlobs } from "./_blobs.ts";

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

Deno.bench({
  name: "density, 200k points, dashboard size 720x520",
  group: "scatter",
  fn: () => {
    renderScatter({ ...POINTS_200K, width: 720, height: 520 });
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
