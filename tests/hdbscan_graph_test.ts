/**
 * The spanning tree of mutual reachability when it starts from a neighbour
 * graph: exact graphs must give exactly the tree of a brute-force Kruskal
 * over all pairs, approximate graphs a tree that clusters the same, and
 * graphs that leave several components must still be joined.
 */

import assert from "node:assert/strict";
import {
  prepareRows,
  squaredDistanceAt,
  squaredFromMetric,
} from "../core/distance.ts";
import { graphForest } from "../core/hdbscan/graph_forest.ts";
import {
  EXACT_TREE_MAX_ROWS,
  hdbscan,
  mutualReachability,
} from "../core/hdbscan/mod.ts";
import { exactKnn, nnDescentKnn } from "../core/knn/mod.ts";
import { createRandom } from "../core/random.ts";
import type { HdbscanOptions, Metric, Vectors } from "../core/types.ts";
import { adjustedRandIndex } from "./_ari.ts";

/** Gaussian blobs of unit spread around centres `spacing` apart, plus `noise` uniform rows. */
function blobs(
  n: number,
  dim: number,
  clusters: number,
  seed: number,
  spacing = 6,
  noise = 0.05,
): Vectors {
  const random = createRandom(seed);
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Float64Array.from(
    { length: clusters * dim },
    () => gaussian() * spacing,
  );
  const data = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    const isNoise = random() < noise;
    const centre = row % clusters;
    for (let t = 0; t < dim; t++) {
      data[row * dim + t] = isNoise
        ? (random() - 0.5) * 6 * spacing
        : centres[centre * dim + t]! + gaussian();
    }
  }
  return { n, dim, data };
}

/** Small integer coordinates: many exactly tied distances. */
function integerGrid(n: number, dim: number, seed: number): Vectors {
  const random = createRandom(seed);
  const data = Float32Array.from(
    { length: n * dim },
    () => Math.floor(random() * 3),
  );
  return { n, dim, data };
}

/**
 * Builds the minimum spanning tree by Kruskal over all pairs, with the
 * weights and the (weight, lower row, higher row) order of
 * core/hdbscan/spanning_tree.ts. Returns sorted `low-high` edge names and the
 * weights as squared mapped distances.
 */
function bruteForceTree(
  vectors: Vectors,
  metric: Metric,
  coreDistances: Float64Array,
): { edges: string[]; keys: number[] } {
  const { n } = vectors;
  const rows = prepareRows(vectors, metric);
  const core = Array.from(coreDistances, (d) => squaredFromMetric(metric, d));

  // Every pair's weight, in the tree's total order.
  const pairs: [number, number, number][] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const squared = squaredDistanceAt(
        rows.data,
        a * rows.dim,
        rows.data,
        b * rows.dim,
        rows.dim,
        Infinity,
      );
      pairs.push([Math.max(core[a]!, core[b]!, squared), a, b]);
    }
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);

  // Kruskal with union-find.
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number =>
    parent[x] === x ? x : (parent[x] = find(parent[x]!));
  const edges: string[] = [];
  const keys: number[] = [];
  for (const [key, a, b] of pairs) {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA === rootB) continue;
    parent[rootA] = rootB;
    edges.push(`${a}-${b}`);
    keys.push(key);
  }
  return { edges: edges.sort(), keys };
}

function treeEdges(mst: { from: Int32Array; to: Int32Array }): string[] {
  return Array.from(mst.from, (from, e) => {
    const to = mst.to[e]!;
    return `${Math.min(from, to)}-${Math.max(from, to)}`;
  }).sort();
}

/** Checks that `mst` has n - 1 edges joining all n rows. */
function assertSpans(mst: { from: Int32Array; to: Int32Array }, n: number) {
  assert.equal(mst.from.length, n - 1, "edge count");
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number =>
    parent[x] === x ? x : (parent[x] = find(parent[x]!));
  for (let e = 0; e < mst.from.length; e++) {
    parent[find(mst.from[e]!)] = find(mst.to[e]!);
  }
  const roots = new Set(parent.map((_, i) => find(i)));
  assert.equal(roots.size, 1, "components left");
}

const CASES: [string, Vectors, Metric, number][] = [
  ["blobs euclidean", blobs(300, 5, 4, 1), "euclidean", 5],
  ["blobs cosine", blobs(300, 5, 4, 2), "cosine", 4],
  ["ties euclidean", integerGrid(250, 4, 3), "euclidean", 6],
  ["ties cosine", integerGrid(250, 4, 4), "cosine", 3],
];

for (const [name, vectors, metric, minSamples] of CASES) {
  Deno.test(`mst ${name} equals brute-force Kruskal`, () => {
    const reachability = mutualReachability(vectors, metric, minSamples);
    const expected = bruteForceTree(
      vectors,
      metric,
      reachability.coreDistances,
    );
    assert.deepEqual(treeEdges(reachability.mst), expected.edges);
  });

  Deno.test(`mst ${name} same with a longer exact graph`, () => {
    const plain = mutualReachability(vectors, metric, minSamples);
    const knn = exactKnn(vectors, minSamples + 7, metric);
    const withGraph = mutualReachability(vectors, metric, minSamples, knn);
    assert.deepEqual(withGraph.coreDistances, plain.coreDistances);
    assert.deepEqual(treeEdges(withGraph.mst), treeEdges(plain.mst));
    assert.deepEqual(withGraph.mst.weight, plain.mst.weight);
  });
}

const OPTIONS: HdbscanOptions = {
  minClusterSize: 20,
  clusterSelectionMethod: "eom",
  clusterSelectionEpsilon: 0,
  allowSingleCluster: false,
  metric: "euclidean",
};

Deno.test("hdbscan approximate graph clusters like exact", () => {
  const vectors = blobs(3000, 12, 8, 5);
  const exact = hdbscan(vectors, OPTIONS);
  const knn = nnDescentKnn(vectors, 20, "euclidean");
  const approximate = hdbscan(vectors, OPTIONS, knn);
  assertSpans(approximate.mst, vectors.n);
  const ari = adjustedRandIndex(approximate.labels, exact.labels);
  assert.ok(ari >= 0.99, `ARI ${ari} against the exact labels`);
});

Deno.test("hdbscan large exact graph clusters like exact", () => {
  // Above EXACT_TREE_MAX_ROWS the tree comes from the graph's edges.
  const vectors = blobs(EXACT_TREE_MAX_ROWS + 500, 3, 6, 9);
  const exact = hdbscan(vectors, OPTIONS);
  const knn = exactKnn(vectors, 15, "euclidean");
  const fromGraph = hdbscan(vectors, OPTIONS, knn);
  assertSpans(fromGraph.mst, vectors.n);
  const ari = adjustedRandIndex(fromGraph.labels, exact.labels);
  assert.ok(ari >= 0.99, `ARI ${ari} against the exact labels`);

  // No spanning tree weighs less than the minimum one.
  const total = (weights: Float64Array) =>
    weights.reduce((sum, weight) => sum + weight, 0);
  const excess = total(fromGraph.mst.weight) / total(exact.mst.weight) - 1;
  assert.ok(excess >= -1e-9, `tree lighter than the minimum by ${-excess}`);
  assert.ok(excess < 0.01, `tree heavier than the minimum by ${excess}`);
});

Deno.test("mst joins components the graph leaves apart", () => {
  // Three tight blobs far apart and no noise, so no row's 10 nearest
  // neighbours reach another blob.
  const vectors = blobs(900, 4, 3, 6, 200, 0);
  const knn = nnDescentKnn(vectors, 10, "euclidean");
  const approximate = mutualReachability(vectors, "euclidean", 5, knn);
  const forest = graphForest(knn, approximate.coreDistances);
  assert.equal(forest.components, 3, "components of the graph's own forest");
  assertSpans(approximate.mst, vectors.n);

  // The two edges between blobs are the exact lightest ones.
  const exact = mutualReachability(vectors, "euclidean", 5);
  const heaviest = (weights: Float64Array) => Array.from(weights.slice(-2));
  assert.deepEqual(
    heaviest(approximate.mst.weight),
    heaviest(exact.mst.weight),
  );
});
