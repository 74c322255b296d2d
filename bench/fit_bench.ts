/**
 * Benchmarks of the fit stages on generated blobs of 32 dimensions (and on
 * perf_50k.parquet when ../shared has it):
 *
 *   deno bench --allow-read --allow-write --allow-env --allow-sys bench/fit_bench.ts
 *
 * Each group's baseline is the configuration the pipeline uses. Runs are few
 * because single runs take seconds. Peak memory, kNN recall, 100k and 200k
 * rows, and the comparisons with umap-js are in bench/fit_scale.ts
 * (`deno task bench:scale`), which runs each case once per process.
 */

import { resolveFitParams } from "../core/fit/params.ts";
import { fitModel } from "../core/fit/pipeline.ts";
import { hdbscan } from "../core/hdbscan/mod.ts";
import { exactKnn, nnDescentKnn } from "../core/knn/mod.ts";
import { closeDuckDB } from "../core/load/mod.ts";
import type { HdbscanOptions } from "../core/types.ts";
import { umapLayout } from "../core/umap/mod.ts";
import { generatedBlobs, perf50k } from "./_fit_data.ts";

const K = 15;
const BLOBS_10K = generatedBlobs(10_000);
const BLOBS_20K = generatedBlobs(20_000);
const BLOBS_50K = generatedBlobs(50_000);
const PERF = await perf50k();
await closeDuckDB();

const GRAPH_10K = exactKnn(BLOBS_10K, K, "euclidean");
const GRAPH_20K = exactKnn(BLOBS_20K, K, "euclidean");
const GRAPH_50K = nnDescentKnn(BLOBS_50K, K, "euclidean");
const EXACT_GRAPH_50K = exactKnn(BLOBS_50K, K, "euclidean");

const CLUSTERING: HdbscanOptions = {
  minClusterSize: 15,
  clusterSelectionMethod: "eom",
  clusterSelectionEpsilon: 0,
  allowSingleCluster: false,
  metric: "euclidean",
};
const UMAP = { nNeighbors: 15, minDist: 0.1, spread: 1, seed: 42 };

Deno.bench({
  name: "exactKnn",
  group: "kNN, 10k x 32, k = 15",
  baseline: true,
  n: 5,
  warmup: 1,
  fn: () => {
    exactKnn(BLOBS_10K, K, "euclidean");
  },
});

Deno.bench({
  name: "nnDescentKnn",
  group: "kNN, 10k x 32, k = 15",
  n: 5,
  warmup: 1,
  fn: () => {
    nnDescentKnn(BLOBS_10K, K, "euclidean");
  },
});

Deno.bench({
  name: "nnDescentKnn",
  group: "kNN, 50k x 32, k = 15",
  baseline: true,
  n: 3,
  warmup: 0,
  fn: () => {
    nnDescentKnn(BLOBS_50K, K, "euclidean");
  },
});

Deno.bench({
  name: "exactKnn",
  group: "kNN, 50k x 32, k = 15",
  n: 2,
  warmup: 0,
  fn: () => {
    exactKnn(BLOBS_50K, K, "euclidean");
  },
});

Deno.bench({
  name: "approximate graph (forest of the graph)",
  group: "HDBSCAN, 50k x 32, min_cluster_size 15, graph given",
  baseline: true,
  n: 5,
  warmup: 1,
  fn: () => {
    hdbscan(BLOBS_50K, CLUSTERING, GRAPH_50K);
  },
});

Deno.bench({
  name: "exact graph (forest of the graph, as above 20,000 rows)",
  group: "HDBSCAN, 50k x 32, min_cluster_size 15, graph given",
  n: 5,
  warmup: 1,
  fn: () => {
    hdbscan(BLOBS_50K, CLUSTERING, EXACT_GRAPH_50K);
  },
});

Deno.bench({
  name: "no graph (its own exact graph and exact spanning tree)",
  group: "HDBSCAN, 50k x 32, min_cluster_size 15, graph given",
  n: 3,
  warmup: 0,
  fn: () => {
    hdbscan(BLOBS_50K, CLUSTERING);
  },
});

Deno.bench({
  name: "10k rows, 500 epochs",
  group: "UMAP layout from a graph",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => {
    umapLayout(GRAPH_10K, UMAP);
  },
});

Deno.bench({
  name: "20k rows, 200 epochs, two halves",
  group: "UMAP layout from a graph",
  n: 3,
  warmup: 0,
  fn: () => {
    umapLayout(GRAPH_20K, UMAP);
  },
});

Deno.bench({
  name: "10k rows",
  group: "whole fit (kNN, HDBSCAN, UMAP), 32 dimensions",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => {
    fitModel(BLOBS_10K, resolveFitParams({}));
  },
});

Deno.bench({
  name: "50k rows",
  group: "whole fit (kNN, HDBSCAN, UMAP), 32 dimensions",
  n: 2,
  warmup: 0,
  fn: () => {
    fitModel(BLOBS_50K, resolveFitParams({}));
  },
});

if (PERF !== undefined) {
  Deno.bench({
    name: "perf_50k, kNN (k = 50) and HDBSCAN (min_cluster_size 50)",
    group: "perf_50k.parquet",
    baseline: true,
    n: 3,
    warmup: 0,
    fn: () => {
      fitModel(
        PERF.vectors,
        resolveFitParams({ minClusterSize: 50, umap: false }),
      );
    },
  });
}
