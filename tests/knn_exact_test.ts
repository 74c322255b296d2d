import assert from "node:assert/strict";
import {
  distanceFunction,
  prepareRows,
  squaredDistanceAt,
} from "../core/distance.ts";
import { InputError } from "../core/errors.ts";
import {
  adaptiveKnn,
  exactKnn,
  type KnnBuilder,
  nnDescentKnn,
} from "../core/knn/mod.ts";
import { NeighbourHeap } from "../core/knn/heap.ts";
import type { KnnGraph, Metric, Vectors } from "../core/types.ts";

/** Builders that must return exactly the brute-force graph. */
const EXACT_BUILDERS: [string, KnnBuilder][] = [
  ["exactKnn", exactKnn],
  ["adaptiveKnn", adaptiveKnn],
];

/**
 * Builders that may miss neighbours but keep the rest of the contract. Their
 * recall is checked in knn_approximate_test.ts.
 */
const APPROXIMATE_BUILDERS: [string, KnnBuilder][] = [
  ["nnDescentKnn", nnDescentKnn],
];

const ALL_BUILDERS = [...EXACT_BUILDERS, ...APPROXIMATE_BUILDERS];

const METRICS: Metric[] = ["euclidean", "cosine"];

/** Deterministic uniform numbers in [0, 1) (mulberry32), so failures reproduce. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian blobs plus uniform noise, `n x dim`. */
function blobs(n: number, dim: number, seed: number): Vectors {
  const random = createRandom(seed);
  const centres = Array.from(
    { length: 4 },
    () => Array.from({ length: dim }, () => random() * 20),
  );
  const data = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    const centre = centres[row % 5];
    for (let t = 0; t < dim; t++) {
      // Every fifth row is noise; the rest scatter around a centre.
      const gauss = Math.sqrt(-2 * Math.log(1 - random())) *
        Math.cos(2 * Math.PI * random());
      data[row * dim + t] = centre === undefined
        ? random() * 20
        : centre[t]! + gauss;
    }
  }
  return { n, dim, data };
}

/** Small integer coordinates: many exactly tied distances. */
function integerGrid(n: number, dim: number, seed: number): Vectors {
  const random = createRandom(seed);
  const data = new Float32Array(n * dim);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 3);
  return { n, dim, data };
}

/** Finds the k nearest other rows by sorting every distance, ties by index. */
function bruteForce(vectors: Vectors, k: number, metric: Metric): KnnGraph {
  const { n, dim, data } = vectors;
  const distance = distanceFunction(metric);
  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float64Array(n * k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const candidates: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const a = data.subarray(i * dim, (i + 1) * dim);
      const b = data.subarray(j * dim, (j + 1) * dim);
      candidates.push([distance(a, b), j]);
    }
    candidates.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (let t = 0; t < Math.min(k, candidates.length); t++) {
      indices[i * k + t] = candidates[t]![1];
      distances[i * k + t] = candidates[t]![0];
    }
  }
  return { n, k, indices, distances, metric };
}

function assertSameGraph(
  actual: KnnGraph,
  expected: KnnGraph,
  what: string,
): void {
  assert.equal(actual.n, expected.n, `${what}: n`);
  assert.equal(actual.k, expected.k, `${what}: k`);
  assert.equal(actual.metric, expected.metric, `${what}: metric`);
  for (let slot = 0; slot < expected.indices.length; slot++) {
    const row = Math.floor(slot / expected.k);
    assert.equal(
      actual.indices[slot],
      expected.indices[slot],
      `${what}: row ${row} index`,
    );
    assert.equal(
      actual.distances[slot],
      expected.distances[slot],
      `${what}: row ${row} distance`,
    );
  }
}

for (const [name, build] of EXACT_BUILDERS) {
  for (const metric of METRICS) {
    Deno.test(`${name} ${metric} blobs match brute force`, () => {
      const vectors = blobs(600, 7, 1);
      assertSameGraph(
        build(vectors, 10, metric),
        bruteForce(vectors, 10, metric),
        "blobs",
      );
    });

    Deno.test(`${name} ${metric} ties break by index`, () => {
      const vectors = integerGrid(400, 4, 2);
      assertSameGraph(
        build(vectors, 12, metric),
        bruteForce(vectors, 12, metric),
        "grid",
      );
    });

    Deno.test(`${name} ${metric} duplicate rows`, () => {
      const base = blobs(50, 3, 3);
      const data = new Float32Array(150 * 3);
      for (let copy = 0; copy < 3; copy++) data.set(base.data, copy * 150);
      const vectors = { n: 150, dim: 3, data };
      const graph = build(vectors, 4, metric);
      assertSameGraph(graph, bruteForce(vectors, 4, metric), "duplicates");
      assert.equal(graph.distances[0], 0, "a duplicate is at distance 0");
    });
  }
}

for (const [name, build] of ALL_BUILDERS) {
  for (const metric of METRICS) {
    Deno.test(`${name} ${metric} k above n - 1 pads`, () => {
      const vectors = blobs(5, 2, 4);
      const graph = build(vectors, 7, metric);
      assertSameGraph(graph, bruteForce(vectors, 7, metric), "padding");
      assert.equal(graph.indices[4], -1);
      assert.equal(graph.distances[6], Infinity);
    });

    Deno.test(`${name} ${metric} one row`, () => {
      const graph = build(
        { n: 1, dim: 3, data: Float32Array.from([1, 2, 3]) },
        2,
        metric,
      );
      assert.deepEqual(Array.from(graph.indices), [-1, -1]);
      assert.deepEqual(Array.from(graph.distances), [Infinity, Infinity]);
    });

    Deno.test(`${name} ${metric} zero rows`, () => {
      const graph = build(
        { n: 0, dim: 3, data: new Float32Array(0) },
        5,
        metric,
      );
      assert.equal(graph.n, 0);
      assert.equal(graph.indices.length, 0);
    });

    Deno.test(`${name} ${metric} k zero`, () => {
      const graph = build(blobs(10, 2, 5), 0, metric);
      assert.equal(graph.k, 0);
      assert.equal(graph.indices.length, 0);
    });

    Deno.test(`${name} ${metric} rows sorted without self`, () => {
      const vectors = blobs(300, 5, 6);
      const graph = build(vectors, 8, metric);
      for (let row = 0; row < vectors.n; row++) {
        for (let t = 0; t < 8; t++) {
          assert.notEqual(
            graph.indices[row * 8 + t],
            row,
            `row ${row} lists itself`,
          );
          if (t > 0) {
            assert.ok(
              graph.distances[row * 8 + t]! >=
                graph.distances[row * 8 + t - 1]!,
              `row ${row} is not sorted at slot ${t}`,
            );
          }
        }
      }
    });

    Deno.test(`${name} ${metric} invalid k`, () => {
      const vectors = blobs(10, 2, 7);
      assert.throws(() => build(vectors, -1, metric), RangeError);
      assert.throws(() => build(vectors, 2.5, metric), RangeError);
    });

    Deno.test(`${name} ${metric} non-finite value`, () => {
      const data = Float32Array.from([0, 1, 2, NaN]);
      assert.throws(() => build({ n: 2, dim: 2, data }, 1, metric), InputError);
    });

    Deno.test(`${name} ${metric} shape mismatch`, () => {
      const data = Float32Array.from([0, 1, 2]);
      assert.throws(() => build({ n: 2, dim: 2, data }, 1, metric), InputError);
    });
  }

  Deno.test(`${name} cosine zero vectors`, () => {
    const data = Float32Array.from([0, 0, 1, 0, 0, 0, 0, 2, 3, 3]);
    const graph = build({ n: 5, dim: 2, data }, 4, "cosine");
    // Row 0 is zero: the other zero row first at 0, then every non-zero row at 1, by index.
    assert.deepEqual(Array.from(graph.indices.subarray(0, 4)), [2, 1, 3, 4]);
    assert.deepEqual(Array.from(graph.distances.subarray(0, 4)), [0, 1, 1, 1]);
    for (const distance of graph.distances) assert.ok(!Number.isNaN(distance));
  });

  Deno.test(`${name} progress reaches one`, () => {
    const fractions: number[] = [];
    build(blobs(2000, 3, 8), 5, "euclidean", (fraction, stage) => {
      assert.equal(stage, "neighbours");
      fractions.push(fraction);
    });
    assert.equal(fractions.at(-1), 1);
    for (let i = 1; i < fractions.length; i++) {
      assert.ok(fractions[i]! >= fractions[i - 1]!, "progress went backwards");
    }
  });
}

Deno.test("exactKnn matches a kernel scan with a helper thread", () => {
  // 6,000 rows is above the size from which half of the cells go to a
  // helper thread. The scan uses the same distance kernel, so keys compare
  // bit for bit.
  const vectors = blobs(6000, 4, 9);
  const k = 9;
  const rows = prepareRows(vectors, "euclidean");
  const graph = exactKnn(vectors, k, "euclidean");
  const heap = new NeighbourHeap(k);
  for (let row = 0; row < vectors.n; row += 3) {
    heap.clear();
    for (let other = 0; other < vectors.n; other++) {
      if (other === row) continue;
      const key = squaredDistanceAt(
        rows.data,
        row * rows.dim,
        rows.data,
        other * rows.dim,
        rows.dim,
        Infinity,
      );
      heap.offer(key, other);
    }
    heap.sortAscending();
    assert.deepEqual(
      Array.from(graph.indices.subarray(row * k, (row + 1) * k)),
      Array.from(heap.indices),
      `row ${row}`,
    );
  }
});
