import assert from "node:assert/strict";
import { InputError } from "../core/errors.ts";
import {
  clustersFromReachability,
  hdbscan,
  mutualReachability,
} from "../core/hdbscan/mod.ts";
import { condenseTree } from "../core/hdbscan/condensed_tree.ts";
import { exactKnn } from "../core/knn/mod.ts";
import type { HdbscanOptions, HdbscanResult, Vectors } from "../core/types.ts";

const DEFAULTS: HdbscanOptions = {
  minClusterSize: 5,
  clusterSelectionMethod: "eom",
  clusterSelectionEpsilon: 0,
  allowSingleCluster: false,
  metric: "euclidean",
};

function options(overrides: Partial<HdbscanOptions> = {}): HdbscanOptions {
  return { ...DEFAULTS, ...overrides };
}

function vectors(rows: number[][]): Vectors {
  const dim = rows[0]?.length ?? 0;
  return { n: rows.length, dim, data: Float32Array.from(rows.flat()) };
}

/**
 * numpy's legacy RandomState(seed).random_sample(): MT19937 seeded with
 * init_genrand, two 32-bit outputs per 53-bit double. It reproduces the
 * points of the reference library's own tests.
 */
function numpyRandom(seed: number): () => number {
  const state = new Uint32Array(624);
  let index = 624;
  state[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const previous = state[i - 1]! ^ (state[i - 1]! >>> 30);
    state[i] = (Math.imul(1812433253, previous) + i) >>> 0;
  }
  const nextWord = (): number => {
    if (index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (state[i]! & 0x80000000) |
          (state[(i + 1) % 624]! & 0x7fffffff);
        state[i] = state[(i + 397) % 624]! ^ (y >>> 1) ^
          (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = state[index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
  return () =>
    ((nextWord() >>> 5) * 67108864 + (nextWord() >>> 6)) / 9007199254740992;
}

/** Points in the unit square from numpy's RandomState(0).rand(n, dim). */
function uniformSquare(n: number, dim = 2): Vectors {
  const random = numpyRandom(0);
  const data = new Float32Array(n * dim);
  for (let i = 0; i < data.length; i++) data[i] = random();
  return { n, dim, data };
}

/** Gaussian groups of `size` points around the given centres, seeded. */
function groups(centres: number[][], size: number, spread: number): Vectors {
  const random = numpyRandom(7);
  const rows: number[][] = [];
  for (const centre of centres) {
    for (let i = 0; i < size; i++) {
      rows.push(centre.map((c) => {
        const gauss = Math.sqrt(-2 * Math.log(1 - random())) *
          Math.cos(2 * Math.PI * random());
        return c + spread * gauss;
      }));
    }
  }
  return vectors(rows);
}

function noiseCount(result: HdbscanResult): number {
  return result.labels.filter((label) => label === -1).length;
}

function clusterCount(result: HdbscanResult): number {
  return new Set(result.labels).size - (result.labels.includes(-1) ? 1 : 0);
}

/** Checks the invariants every result must hold, whatever the input. */
function assertWellFormed(result: HdbscanResult, n: number): void {
  assert.equal(result.labels.length, n, "one label per row");
  const clusters = result.selectedClusters.length;
  for (let row = 0; row < n; row++) {
    const label = result.labels[row]!;
    const probability = result.probabilities[row]!;
    const score = result.outlierScores[row]!;
    assert.ok(
      label >= -1 && label < clusters,
      `row ${row}: label ${label} of ${clusters}`,
    );
    assert.ok(
      probability >= 0 && probability <= 1,
      `row ${row}: probability ${probability}`,
    );
    assert.ok(score >= 0 && score <= 1, `row ${row}: outlier score ${score}`);
    if (label === -1) {
      assert.equal(probability, 0, `row ${row}: noise with probability`);
    }
  }
  for (let label = 0; label < clusters; label++) {
    assert.ok(result.labels.includes(label), `label ${label} is unused`);
  }
  assert.equal(
    result.mst.weight.length,
    Math.max(0, n - 1),
    "spanning tree edge count",
  );
  for (let e = 1; e < result.mst.weight.length; e++) {
    assert.ok(
      result.mst.weight[e]! >= result.mst.weight[e - 1]!,
      `edge ${e} out of order`,
    );
  }
}

Deno.test("hdbscan zero rows", () => {
  assert.throws(
    () => hdbscan({ n: 0, dim: 3, data: new Float32Array(0) }, options()),
    (error: unknown) =>
      error instanceof InputError && /0 rows/.test(error.message),
  );
});

Deno.test("hdbscan one row", () => {
  const result = hdbscan(vectors([[1, 2, 3]]), options());
  assertWellFormed(result, 1);
  assert.equal(result.labels[0], -1);
  assert.equal(result.probabilities[0], 0);
  assert.equal(result.outlierScores[0], 0);
  assert.equal(result.coreDistances[0], Infinity);
  assert.equal(result.condensedTree.parent.length, 0);
  assert.equal(result.selectedClusters.length, 0);
});

Deno.test("hdbscan two rows noise", () => {
  const result = hdbscan(
    vectors([[0, 0], [3, 4]]),
    options({ minClusterSize: 2 }),
  );
  assertWellFormed(result, 2);
  assert.deepEqual(Array.from(result.labels), [-1, -1]);
  assert.deepEqual(Array.from(result.coreDistances), [5, 5]);
  assert.deepEqual(Array.from(result.mst.weight), [5]);
});

Deno.test("hdbscan two rows single cluster", () => {
  const result = hdbscan(
    vectors([[0, 0], [3, 4]]),
    options({ minClusterSize: 2, allowSingleCluster: true }),
  );
  assertWellFormed(result, 2);
  assert.deepEqual(Array.from(result.labels), [0, 0]);
  assert.deepEqual(Array.from(result.probabilities), [1, 1]);
});

Deno.test("hdbscan fewer rows than min_cluster_size", () => {
  const result = hdbscan(uniformSquare(6), options({ minClusterSize: 10 }));
  assertWellFormed(result, 6);
  assert.equal(noiseCount(result), 6);
});

Deno.test("hdbscan min_samples above n - 1 clamps", () => {
  const data = uniformSquare(8);
  const clamped = hdbscan(data, options({ minClusterSize: 3, minSamples: 50 }));
  const explicit = hdbscan(data, options({ minClusterSize: 3, minSamples: 7 }));
  assert.deepEqual(
    Array.from(clamped.coreDistances),
    Array.from(explicit.coreDistances),
  );
  assert.deepEqual(Array.from(clamped.labels), Array.from(explicit.labels));
});

Deno.test("hdbscan tight group default noise", () => {
  // Nine points cannot split into two sides of five, so the root never splits.
  const result = hdbscan(groups([[0, 0]], 9, 0.1), options());
  assertWellFormed(result, 9);
  assert.equal(noiseCount(result), 9);
});

Deno.test("hdbscan tight group single cluster", () => {
  const result = hdbscan(
    groups([[0, 0]], 9, 0.1),
    options({ allowSingleCluster: true }),
  );
  assertWellFormed(result, 9);
  assert.equal(clusterCount(result), 1);
  assert.deepEqual(Array.from(result.selectedClusters), [9]);
});

Deno.test("hdbscan leaf without split is noise", () => {
  // The reference library's leaf selection finds no leaf in a tree without splits.
  const result = hdbscan(
    groups([[0, 0]], 9, 0.1),
    options({ clusterSelectionMethod: "leaf", allowSingleCluster: true }),
  );
  assert.equal(noiseCount(result), 9);
});

Deno.test("hdbscan single cluster root threshold", () => {
  // Expected counts from the reference library's test suite on the same points.
  const result = hdbscan(
    uniformSquare(150),
    options({ allowSingleCluster: true }),
  );
  assertWellFormed(result, 150);
  assert.equal(clusterCount(result), 1);
  assert.equal(noiseCount(result), 46);
});

Deno.test("hdbscan single cluster epsilon", () => {
  const result = hdbscan(
    uniformSquare(150),
    options({ allowSingleCluster: true, clusterSelectionEpsilon: 0.2 }),
  );
  assertWellFormed(result, 150);
  assert.equal(clusterCount(result), 1);
  assert.equal(noiseCount(result), 2);
});

Deno.test("hdbscan epsilon merges leaves", () => {
  const data = groups([[0, 0], [1, 0], [10, 10]], 30, 0.1);
  const fine = hdbscan(data, options({ clusterSelectionMethod: "leaf" }));
  const merged = hdbscan(
    data,
    options({ clusterSelectionMethod: "leaf", clusterSelectionEpsilon: 2 }),
  );
  assertWellFormed(merged, 90);
  assert.ok(
    clusterCount(fine) >= 3,
    `leaf found ${clusterCount(fine)} clusters`,
  );
  assert.equal(clusterCount(merged), 2);
  assert.equal(
    merged.labels[0],
    merged.labels[30],
    "groups 1 apart merge under epsilon 2",
  );
  assert.notEqual(
    merged.labels[0],
    merged.labels[60],
    "the far group stays apart",
  );
});

Deno.test("hdbscan separated groups", () => {
  const data = groups([[0, 0], [20, 0], [0, 20]], 40, 1);
  const result = hdbscan(data, options());
  assertWellFormed(result, 120);
  assert.equal(clusterCount(result), 3);
  for (let group = 0; group < 3; group++) {
    const label = result.labels[group * 40]!;
    const members = result.labels.subarray(group * 40, group * 40 + 40);
    assert.ok(
      members.every((l) => l === label || l === -1),
      `group ${group} is split`,
    );
  }
});

Deno.test("hdbscan all rows identical", () => {
  const rows = Array.from({ length: 30 }, () => [1, 2, 3]);
  const noise = hdbscan(vectors(rows), options());
  assertWellFormed(noise, 30);
  assert.equal(noiseCount(noise), 30);
  assert.ok(noise.coreDistances.every((d) => d === 0));

  const single = hdbscan(vectors(rows), options({ allowSingleCluster: true }));
  assertWellFormed(single, 30);
  assert.ok(
    single.labels.every((label) => label === 0),
    "identical rows share one label",
  );
  assert.ok(single.probabilities.every((p) => p === 1));
  assert.ok(single.outlierScores.every((s) => s === 0));
});

Deno.test("condensed tree zero distance split", () => {
  // Points 0..3 identical, merged as (0, 1) and (2, 3), then both pairs at distance 0.
  const linkage = {
    left: Int32Array.from([0, 2, 4]),
    right: Int32Array.from([1, 3, 5]),
    distance: Float64Array.from([0, 0, 0]),
    size: Int32Array.from([2, 2, 4]),
  };
  const tree = condenseTree(linkage, 4, 2);
  assert.deepEqual(
    Array.from(tree.parent),
    [4, 4, 4, 4],
    "no cluster is born at distance 0",
  );
  assert.deepEqual(Array.from(tree.child).sort(), [0, 1, 2, 3]);
  assert.ok(tree.lambda.every((lambda) => lambda === Infinity));
});

Deno.test("condensed tree positive distance split", () => {
  const linkage = {
    left: Int32Array.from([0, 2, 4]),
    right: Int32Array.from([1, 3, 5]),
    distance: Float64Array.from([1, 1, 2]),
    size: Int32Array.from([2, 2, 4]),
  };
  const tree = condenseTree(linkage, 4, 2);
  assert.deepEqual(Array.from(tree.parent), [4, 4, 5, 5, 6, 6]);
  assert.deepEqual(Array.from(tree.child), [5, 6, 0, 1, 2, 3]);
  assert.deepEqual(Array.from(tree.lambda), [0.5, 0.5, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(tree.childSize), [2, 2, 1, 1, 1, 1]);
});

Deno.test("hdbscan duplicate rows share labels", () => {
  // Two groups, each a block of ten identical rows plus scattered points.
  const base = groups([[0, 0], [10, 10]], 20, 0.5);
  const rows: number[][] = [];
  for (let i = 0; i < 40; i++) {
    // Rows 0..9 copy row 0 and rows 20..29 copy row 20.
    const groupStart = i < 20 ? 0 : 20;
    const source = i - groupStart < 10 ? groupStart : i;
    rows.push([base.data[source * 2]!, base.data[source * 2 + 1]!]);
  }
  for (const metric of ["euclidean", "cosine"] as const) {
    const result = hdbscan(vectors(rows), options({ metric }));
    assertWellFormed(result, 40);
    for (const block of [0, 20]) {
      for (let i = block + 1; i < block + 10; i++) {
        assert.equal(
          result.labels[i],
          result.labels[block],
          `${metric}: copy ${i} of row ${block}`,
        );
      }
    }
    for (const lambda of result.condensedTree.lambda) {
      assert.ok(!Number.isNaN(lambda));
    }
  }
});

Deno.test("hdbscan duplicates inside a cluster", () => {
  // Without the finite cap every non-duplicate member would get probability 0.
  const base = groups([[0, 0], [10, 10]], 30, 0.5);
  const data = Float32Array.from(base.data);
  for (let i = 1; i < 6; i++) data.set(data.subarray(0, 2), i * 2);
  const result = hdbscan({ n: 60, dim: 2, data }, options());
  assertWellFormed(result, 60);
  const label = result.labels[0]!;
  assert.notEqual(label, -1);
  const others = Array.from(result.labels.keys()).filter((i) =>
    i >= 6 && result.labels[i] === label
  );
  assert.ok(
    others.some((i) => result.probabilities[i]! > 0),
    "members keep graded probabilities",
  );
});

Deno.test("hdbscan cosine zero vectors", () => {
  const rows = [
    ...Array.from({ length: 8 }, () => [0, 0, 0]),
    ...Array.from(groups([[1, 0, 0], [0, 1, 0]], 20, 0.05).data).reduce<
      number[][]
    >(
      (all, value, i) => {
        if (i % 3 === 0) all.push([]);
        all.at(-1)!.push(value);
        return all;
      },
      [],
    ),
  ];
  const result = hdbscan(vectors(rows), options({ metric: "cosine" }));
  assertWellFormed(result, 48);
  for (let i = 1; i < 8; i++) {
    assert.equal(result.labels[i], result.labels[0], `zero row ${i}`);
  }
  assert.notEqual(result.labels[0], -1, "eight zero rows form a cluster");
  assert.notEqual(
    result.labels[0],
    result.labels[8],
    "zero rows are apart from the others",
  );
});

Deno.test("hdbscan labels deterministic and ordered", () => {
  const data = groups([[0, 0], [8, 0], [0, 8], [8, 8]], 25, 1);
  const first = hdbscan(data, options({ clusterSelectionMethod: "leaf" }));
  const second = hdbscan(data, options({ clusterSelectionMethod: "leaf" }));
  assert.deepEqual(Array.from(first.labels), Array.from(second.labels));
  assert.deepEqual(
    Array.from(first.probabilities),
    Array.from(second.probabilities),
  );
  for (let i = 1; i < first.selectedClusters.length; i++) {
    assert.ok(
      first.selectedClusters[i]! > first.selectedClusters[i - 1]!,
      "clusters ascend",
    );
  }
});

Deno.test("hdbscan reuses a neighbour graph", () => {
  const data = groups([[0, 0], [5, 5]], 40, 1);
  const own = hdbscan(data, options());
  const given = hdbscan(data, options(), exactKnn(data, 15, "euclidean"));
  const tooShort = hdbscan(data, options(), exactKnn(data, 2, "euclidean"));
  assert.deepEqual(
    Array.from(given.coreDistances),
    Array.from(own.coreDistances),
  );
  assert.deepEqual(Array.from(given.labels), Array.from(own.labels));
  assert.deepEqual(Array.from(tooShort.labels), Array.from(own.labels));
});

Deno.test("hdbscan rejects a foreign graph", () => {
  const data = groups([[0, 0]], 20, 1);
  assert.throws(
    () => hdbscan(data, options(), exactKnn(data, 5, "cosine")),
    RangeError,
  );
  const other = groups([[0, 0]], 10, 1);
  assert.throws(
    () => hdbscan(data, options(), exactKnn(other, 5, "euclidean")),
    RangeError,
  );
});

Deno.test("hdbscan reachability reuse", () => {
  const data = groups([[0, 0], [6, 0]], 30, 1);
  const reachability = mutualReachability(data, "euclidean", 5);
  for (const method of ["eom", "leaf"] as const) {
    const direct = hdbscan(
      data,
      options({ clusterSelectionMethod: method, minSamples: 5 }),
    );
    const reused = clustersFromReachability(
      reachability,
      options({ clusterSelectionMethod: method, minSamples: 5 }),
    );
    assert.deepEqual(
      Array.from(reused.labels),
      Array.from(direct.labels),
      method,
    );
  }
  assert.throws(
    () => clustersFromReachability(reachability, options({ minSamples: 6 })),
    RangeError,
  );
});

Deno.test("reachability invalid min_samples", () => {
  const data = groups([[0, 0]], 10, 1);
  for (const minSamples of [0, 1.5, NaN]) {
    assert.throws(
      () => mutualReachability(data, "euclidean", minSamples),
      (error: unknown) =>
        error instanceof InputError && /min_samples/.test(error.message),
      `min_samples ${minSamples}`,
    );
  }
});

Deno.test("hdbscan invalid options", () => {
  const data = groups([[0, 0]], 10, 1);
  const cases: [Partial<HdbscanOptions>, RegExp][] = [
    [{ minClusterSize: 1 }, /min_cluster_size 1: use an integer >= 2/],
    [{ minClusterSize: 2.5 }, /min_cluster_size 2.5/],
    [{ minSamples: 0 }, /min_samples 0: use an integer >= 1/],
    [{ clusterSelectionEpsilon: -1 }, /cluster_selection_epsilon -1/],
    [{ clusterSelectionEpsilon: NaN }, /cluster_selection_epsilon NaN/],
    [
      { clusterSelectionMethod: "best" as "eom" },
      /cluster_selection_method "best"/,
    ],
    [{ metric: "manhattan" as "cosine" }, /metric "manhattan"/],
  ];
  for (const [overrides, message] of cases) {
    assert.throws(
      () => hdbscan(data, options(overrides)),
      (error: unknown) =>
        error instanceof InputError && error.status === 400 &&
        message.test(error.message),
      `options ${JSON.stringify(overrides)}`,
    );
  }
});

Deno.test("hdbscan non-finite input", () => {
  const data = vectors([[0, 0], [1, Infinity], [2, 2]]);
  assert.throws(
    () => hdbscan(data, options({ minClusterSize: 2 })),
    (error: unknown) =>
      error instanceof InputError && /row 1, component 1/.test(error.message),
  );
});

Deno.test("hdbscan spanning tree invariants", () => {
  const data = groups([[0, 0, 0], [4, 4, 4]], 50, 1);
  const result = hdbscan(data, options());
  assertWellFormed(result, 100);
  const { from, to, weight } = result.mst;
  const seen = new Set<number>();
  for (let e = 0; e < weight.length; e++) {
    const floor = Math.max(
      result.coreDistances[from[e]!]!,
      result.coreDistances[to[e]!]!,
    );
    assert.ok(weight[e]! >= floor, `edge ${e} is lighter than a core distance`);
    seen.add(from[e]!).add(to[e]!);
  }
  assert.equal(seen.size, 100, "the tree spans every row");
  const points = Array.from(result.condensedTree.child).filter((child) =>
    child < 100
  );
  assert.equal(
    points.length,
    100,
    "every point leaves the condensed tree once",
  );
  assert.equal(new Set(points).size, 100);
});

Deno.test("hdbscan progress reaches one", () => {
  const fractions: number[] = [];
  hdbscan(
    groups([[0, 0], [9, 9]], 300, 1),
    options(),
    undefined,
    (fraction) => {
      fractions.push(fraction);
    },
  );
  assert.equal(fractions.at(-1), 1);
  for (let i = 1; i < fractions.length; i++) {
    assert.ok(
      fractions[i]! >= fractions[i - 1]!,
      `progress went back at report ${i}`,
    );
  }
});
