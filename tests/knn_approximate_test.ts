/**
 * Recall and exactness checks of the approximate neighbour builder against
 * the exact one (itself checked against brute force in knn_exact_test.ts,
 * which also runs the shared contract checks on every builder).
 */

import assert from "node:assert/strict";
import { distanceFunction } from "../core/distance.ts";
import {
  adaptiveKnn,
  EXACT_KNN_MAX_ROWS,
  EXACT_KNN_MIN_K,
  exactKnn,
  isApproximate,
  nnDescentKnn,
} from "../core/knn/mod.ts";
import { createRandom } from "../core/random.ts";
import type { KnnGraph, Metric } from "../core/types.ts";
import { report } from "./_report.ts";
import { blobVectors } from "./_vectors.ts";

const METRICS: Metric[] = ["euclidean", "cosine"];

/** Share of the exact neighbours (as sets per row) that the approximate graph lists. */
function recall(approximate: KnnGraph, exact: KnnGraph): number {
  const { n, k } = exact;
  let found = 0;
  for (let row = 0; row < n; row++) {
    const truth = new Set(exact.indices.subarray(row * k, (row + 1) * k));
    for (let t = 0; t < k; t++) {
      if (truth.has(approximate.indices[row * k + t]!)) found++;
    }
  }
  return found / (n * k);
}

/**
 * Share of slots whose distance equals the exact graph's at the same rank:
 * a recall that does not care which of several tied rows is listed.
 */
function distanceRecall(approximate: KnnGraph, exact: KnnGraph): number {
  let equal = 0;
  for (let slot = 0; slot < exact.distances.length; slot++) {
    if (approximate.distances[slot] === exact.distances[slot]) equal++;
  }
  return equal / exact.distances.length;
}

for (const metric of METRICS) {
  Deno.test(`nnDescentKnn ${metric} recall on blobs`, () => {
    const vectors = blobVectors(4000, 16, 12, 1);
    const approximate = nnDescentKnn(vectors, 15, metric);
    const share = recall(approximate, exactKnn(vectors, 15, metric));
    report(`nnDescentKnn ${metric} recall at k = 15 on 4,000 blobs: ${share}`);
    assert.ok(share >= 0.95, `recall ${share} below 0.95`);
  });

  Deno.test(`nnDescentKnn ${metric} lists exact distances`, () => {
    const vectors = blobVectors(1500, 8, 6, 2);
    const graph = nnDescentKnn(vectors, 10, metric);
    const distance = distanceFunction(metric);
    const { dim, data } = vectors;
    for (let row = 0; row < vectors.n; row += 7) {
      for (let t = 0; t < 10; t++) {
        const other = graph.indices[row * 10 + t]!;
        const expected = distance(
          data.subarray(row * dim, (row + 1) * dim),
          data.subarray(other * dim, (other + 1) * dim),
        );
        const actual = graph.distances[row * 10 + t]!;
        assert.ok(
          Math.abs(actual - expected) <= 1e-12 * Math.max(1, expected),
          `row ${row} slot ${t}: listed ${actual}, true ${expected}`,
        );
      }
    }
  });

  Deno.test(`nnDescentKnn ${metric} same input same graph`, () => {
    const vectors = blobVectors(1200, 8, 5, 3);
    const first = nnDescentKnn(vectors, 12, metric);
    const second = nnDescentKnn(vectors, 12, metric);
    assert.deepEqual(first.indices, second.indices);
    assert.deepEqual(first.distances, second.distances);
  });

  Deno.test(`nnDescentKnn ${metric} many duplicates`, () => {
    // 300 copies of 100 distinct rows: every row has two exact copies at 0.
    const base = blobVectors(100, 4, 3, 4);
    const data = new Float32Array(300 * 4);
    for (let copy = 0; copy < 3; copy++) data.set(base.data, copy * 400);
    const vectors = { n: 300, dim: 4, data };
    const graph = nnDescentKnn(vectors, 6, metric);
    for (let row = 0; row < 300; row++) {
      assert.equal(graph.distances[row * 6], 0, `row ${row} nearest copy`);
      assert.equal(graph.distances[row * 6 + 1], 0, `row ${row} second copy`);
    }
    // Copies tie, so compare distances rank by rank rather than neighbour sets.
    const share = distanceRecall(graph, exactKnn(vectors, 6, metric));
    assert.ok(share >= 0.95, `only ${share} of the distances are exact`);
  });
}

Deno.test("nnDescentKnn recall with many ties", () => {
  // Integer coordinates in {0, 1, 2}: distances tie in large groups.
  const random = createRandom(5);
  const data = Float32Array.from(
    { length: 1000 * 5 },
    () => Math.floor(random() * 3),
  );
  const vectors = { n: 1000, dim: 5, data };
  const approximate = nnDescentKnn(vectors, 10, "euclidean");
  const share = distanceRecall(approximate, exactKnn(vectors, 10, "euclidean"));
  assert.ok(share >= 0.95, `only ${share} of the distances are exact`);
});

Deno.test("nnDescentKnn cosine with zero rows", () => {
  const vectors = blobVectors(600, 6, 4, 6);
  const data = vectors.data.slice();
  for (let row = 0; row < 600; row += 50) data.fill(0, row * 6, row * 6 + 6);
  const graph = nnDescentKnn({ ...vectors, data }, 8, "cosine");
  // Zero rows are at 0 from each other and 1 from all others.
  for (let t = 0; t < 8; t++) {
    const other = graph.indices[t]!;
    assert.equal(other % 50, 0, `zero row 0 lists non-zero row ${other}`);
    assert.equal(graph.distances[t], 0);
  }
  for (const distance of graph.distances) assert.ok(!Number.isNaN(distance));
});

Deno.test("nnDescentKnn marks its graph approximate", () => {
  const vectors = blobVectors(400, 4, 3, 7);
  assert.equal(isApproximate(nnDescentKnn(vectors, 5, "euclidean")), true);
  assert.equal(isApproximate(exactKnn(vectors, 5, "euclidean")), false);
});

Deno.test("adaptiveKnn switches above the exact limit", () => {
  const small = blobVectors(EXACT_KNN_MAX_ROWS, 3, 4, 8);
  assert.equal(isApproximate(adaptiveKnn(small, 5, "euclidean")), false);
  const large = blobVectors(EXACT_KNN_MAX_ROWS + 1, 3, 4, 8);
  assert.equal(isApproximate(adaptiveKnn(large, 5, "euclidean")), true);
  assert.equal(
    isApproximate(adaptiveKnn(large, EXACT_KNN_MIN_K, "euclidean")),
    false,
  );
});
