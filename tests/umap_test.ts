import {
  assert,
  assertEquals,
  assertGreater,
  assertThrows,
} from "./_assert.ts";
import { exactKnn } from "../core/knn/mod.ts";
import { trustworthiness } from "../core/metrics/trustworthiness.ts";
import { fuzzyGraph, umapLayout } from "../core/umap/mod.ts";
import { FIXTURES, readDigits } from "./_fixtures.ts";
import { report } from "./_report.ts";

const reference = JSON.parse(
  Deno.readTextFileSync(new URL("umap_reference.json", FIXTURES)),
);

Deno.test("umap digits trustworthiness near umap-learn", () => {
  const { vectors } = readDigits();
  const knn = exactKnn(vectors, 14, "euclidean");
  const layout = umapLayout(knn, {
    nNeighbors: 15,
    minDist: 0.1,
    spread: 1,
    seed: 42,
  });
  const score = trustworthiness(vectors, layout.coordinates, 15, "euclidean");
  const expected = reference.trustworthiness.digits.umap;
  report(
    `trustworthiness on digits: ${score.toFixed(4)} (umap-learn ${
      expected.toFixed(4)
    })`,
  );
  assertGreater(score, expected - 0.01);
  assertGreater(score, reference.trustworthiness.digits.pca);
});

Deno.test("umap same seed same layout", () => {
  const { vectors } = readDigits();
  const small = { data: vectors.data.subarray(0, 300 * 64), n: 300, dim: 64 };
  const knn = exactKnn(small, 14, "euclidean");
  const options = {
    nNeighbors: 15,
    minDist: 0.1,
    spread: 1,
    seed: 7,
    nEpochs: 50,
  };
  const first = umapLayout(knn, options).coordinates;
  const second = umapLayout(knn, options).coordinates;
  assertEquals(first, second);
  const other = umapLayout(knn, { ...options, seed: 8 }).coordinates;
  assert(other.some((value, i) => value !== first[i]));
});

Deno.test("umap layout finite for duplicates", () => {
  const n = 40;
  const data = new Float32Array(n * 3);
  for (let i = 20; i < n; i++) data[i * 3] = 5;
  const knn = exactKnn({ data, n, dim: 3 }, 14, "euclidean");
  const layout = umapLayout(knn, {
    nNeighbors: 15,
    minDist: 0.1,
    spread: 1,
    seed: 1,
    nEpochs: 30,
  });
  assert(layout.coordinates.every(Number.isFinite));
});

Deno.test("umap tiny inputs", () => {
  for (const n of [1, 2, 3]) {
    const data = new Float32Array(n * 2).map((_, i) => i);
    const knn = exactKnn({ data, n, dim: 2 }, Math.min(14, n - 1), "euclidean");
    const layout = umapLayout(knn, {
      nNeighbors: 15,
      minDist: 0.1,
      spread: 1,
      seed: 1,
    });
    assertEquals(layout.coordinates.length, n * 2);
    assert(layout.coordinates.every(Number.isFinite));
  }
});

Deno.test("umap rejects one neighbour", () => {
  const data = new Float32Array(20).map((_, i) => i);
  const knn = exactKnn({ data, n: 10, dim: 2 }, 5, "euclidean");
  assertThrows(
    () => umapLayout(knn, { nNeighbors: 1, minDist: 0.1, spread: 1, seed: 1 }),
    RangeError,
    "n_neighbors 1",
  );
});

Deno.test("fuzzy graph symmetric", () => {
  const { vectors } = readDigits();
  const small = { data: vectors.data.subarray(0, 200 * 64), n: 200, dim: 64 };
  const graph = fuzzyGraph(exactKnn(small, 14, "euclidean"), 15);
  const weightOf = (i: number, j: number) => {
    for (let e = graph.rowOffsets[i]!; e < graph.rowOffsets[i + 1]!; e++) {
      if (graph.columns[e] === j) return graph.weights[e]!;
    }
    return 0;
  };
  for (let i = 0; i < graph.n; i++) {
    for (let e = graph.rowOffsets[i]!; e < graph.rowOffsets[i + 1]!; e++) {
      const j = graph.columns[e]!;
      assertEquals(weightOf(j, i), graph.weights[e]);
      assert(graph.weights[e]! > 0 && graph.weights[e]! <= 1);
    }
  }
});
