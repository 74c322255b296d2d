/**
 * queryNearest against brute force, on the scan path (small models and
 * small batches) and the cell-index path (large models).
 */

import assert from "node:assert/strict";
import { distanceFunction } from "../core/distance.ts";
import { createQueryIndex, queryNearest } from "../core/knn/query.ts";
import { createRandom } from "../core/random.ts";
import type { Metric, Vectors } from "../core/types.ts";

const METRICS: Metric[] = ["euclidean", "cosine"];

/** Gaussian blobs around `clusters` centres, seeded. */
function blobs(
  n: number,
  dim: number,
  clusters: number,
  seed: number,
): Vectors {
  const random = createRandom(seed);
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Float64Array.from(
    { length: clusters * dim },
    () => gaussian() * 5,
  );
  const data = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    const centre = row % clusters;
    for (let t = 0; t < dim; t++) {
      data[row * dim + t] = centres[centre * dim + t]! + gaussian();
    }
  }
  return { n, dim, data };
}

/** Finds the k nearest model rows of each query by sorting all distances, ties by index. */
function bruteForce(
  model: Vectors,
  queries: Vectors,
  k: number,
  metric: Metric,
): { indices: number[]; distances: number[] } {
  const distance = distanceFunction(metric);
  const { dim } = model;
  const indices: number[] = [];
  const distances: number[] = [];
  for (let q = 0; q < queries.n; q++) {
    const query = queries.data.subarray(q * dim, (q + 1) * dim);
    const all: [number, number][] = [];
    for (let row = 0; row < model.n; row++) {
      const point = model.data.subarray(row * dim, (row + 1) * dim);
      all.push([distance(query, point), row]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let t = 0; t < Math.min(k, model.n); t++) {
      distances.push(all[t]![0]);
      indices.push(all[t]![1]);
    }
  }
  return { indices, distances };
}

function assertMatchesBruteForce(
  model: Vectors,
  queries: Vectors,
  k: number,
  metric: Metric,
  index = createQueryIndex(model, metric),
): void {
  const result = queryNearest(index, queries, k);
  const expected = bruteForce(model, queries, k, metric);
  assert.equal(result.k, Math.min(k, model.n));
  assert.deepEqual(Array.from(result.indices), expected.indices);
  assert.deepEqual(Array.from(result.distances), expected.distances);
}

for (const metric of METRICS) {
  Deno.test(`queryNearest ${metric} scan matches brute force`, () => {
    const all = blobs(520, 6, 4, 1);
    const model = { n: 500, dim: 6, data: all.data.subarray(0, 500 * 6) };
    const queries = { n: 20, dim: 6, data: all.data.subarray(500 * 6) };
    assertMatchesBruteForce(model, queries, 12, metric);
  });

  Deno.test(`queryNearest ${metric} cell index matches brute force`, () => {
    // Above 4,096 model rows, a batch of 64 or more queries builds the index.
    const all = blobs(5100, 8, 10, 2);
    const model = { n: 5000, dim: 8, data: all.data.subarray(0, 5000 * 8) };
    const queries = { n: 100, dim: 8, data: all.data.subarray(5000 * 8) };
    const index = createQueryIndex(model, metric);
    assertMatchesBruteForce(model, queries, 20, metric, index);
    assert.ok(index.cells !== undefined, "the batch built no cell index");

    // A later small batch searches the same index.
    const few = { n: 3, dim: 8, data: queries.data.subarray(0, 3 * 8) };
    assertMatchesBruteForce(model, few, 20, metric, index);
  });
}

Deno.test("queryNearest zero query against non-zero model", () => {
  const model = blobs(50, 3, 2, 3);
  const zero = { n: 1, dim: 3, data: new Float32Array(3) };
  const result = queryNearest(createQueryIndex(model, "cosine"), zero, 4);
  assert.deepEqual(Array.from(result.indices), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(result.distances), [1, 1, 1, 1]);
});

Deno.test("queryNearest zero query finds zero rows", () => {
  const model = blobs(50, 3, 2, 4);
  const data = model.data.slice();
  data.fill(0, 7 * 3, 8 * 3);
  data.fill(0, 30 * 3, 31 * 3);
  const queries = {
    n: 2,
    dim: 3,
    data: Float32Array.from([0, 0, 0, 1, 2, 3]),
  };
  const withZeros = { ...model, data };
  assertMatchesBruteForce(withZeros, queries, 5, "cosine");
  const result = queryNearest(
    createQueryIndex(withZeros, "cosine"),
    queries,
    5,
  );
  assert.deepEqual(Array.from(result.indices.subarray(0, 2)), [7, 30]);
});

Deno.test("queryNearest k above model size", () => {
  const all = blobs(12, 2, 2, 5);
  const model = { n: 10, dim: 2, data: all.data.subarray(0, 20) };
  const queries = { n: 2, dim: 2, data: all.data.subarray(20) };
  assertMatchesBruteForce(model, queries, 25, "euclidean");
});

Deno.test("queryNearest empty model", () => {
  const model = { n: 0, dim: 2, data: new Float32Array(0) };
  const queries = { n: 2, dim: 2, data: Float32Array.from([1, 2, 3, 4]) };
  const result = queryNearest(createQueryIndex(model, "euclidean"), queries, 5);
  assert.equal(result.k, 0);
  assert.equal(result.indices.length, 0);
});

Deno.test("queryNearest rejects another dimension", () => {
  const model = blobs(10, 3, 2, 6);
  const queries = { n: 1, dim: 2, data: Float32Array.from([1, 2]) };
  assert.throws(
    () => queryNearest(createQueryIndex(model, "euclidean"), queries, 3),
    RangeError,
  );
});
