/**
 * HDBSCAN against the reference Python library hdbscan 0.8.40 on the copies
 * in fixtures/reference/ (see build.ts there): labels by adjusted Rand
 * index, core distances and spanning-tree weights value by value, and
 * membership probabilities and GLOSH outlier scores point by point.
 */

import assert from "node:assert/strict";
import { cosineDistance, euclideanDistance } from "../core/distance.ts";
import {
  clustersFromReachability,
  type MutualReachability,
  mutualReachability,
} from "../core/hdbscan/mod.ts";
import type { HdbscanResult, Metric, Vectors } from "../core/types.ts";
import { adjustedRandIndex } from "./_ari.ts";

const FIXTURES = new URL("./fixtures/reference/", import.meta.url);

/** One reference case, as `fixtures/reference/cases.json` lists it. */
interface ReferenceCase {
  name: string;
  dataset: string;
  metric: Metric;
  minClusterSize: number;
  minSamples: number | null;
  method: "eom" | "leaf";
  labelColumn: string;
  minAri: number;
  sharedMinAri?: number;
  floorReason?: string;
}

const CASES: ReferenceCase[] = JSON.parse(
  await Deno.readTextFile(new URL("cases.json", FIXTURES)),
);

/** Input table of each data set; both users sets share one embedding. */
const INPUT_OF: Record<string, string> = {
  digits: "digits.csv",
  blobs_2k: "blobs_2k.csv",
  users_euclidean: "users_embedding.f32",
  users_cosine: "users_embedding.f32",
};

/**
 * Tolerances for probabilities and outlier scores. Euclidean: the blobs CSV
 * holds 6 decimals of the points the reference clustered, which moves
 * lambdas by about 1e-6 relative. Cosine: the reference's cosine run agrees
 * with exact float64 distances only to about 1e-5 relative (its distance
 * matrix is float32), and scores are ratios of two such lambdas.
 */
const SCORE_TOLERANCE: Record<Metric, number> = {
  euclidean: 1e-5,
  cosine: 1e-4,
};

/**
 * Minimum share of points whose probability and outlier score match the
 * reference within tolerance, by case-name prefix; 0.999 otherwise. Where
 * tied spanning-tree weights (or, for cosine, float32 near-ties) give the
 * condensed tree another shape, whole clusters get another maximum lambda,
 * so fewer points match although the labels agree. The floors sit just
 * under the measured shares: 0.9755 and 0.9889 on digits, 0.8888 on
 * users_euclidean min_cluster_size 5, 0.5617 on users_cosine
 * min_cluster_size 5.
 */
const SCORE_AGREEMENT: [prefix: string, share: number][] = [
  ["digits/mcs5", 0.97],
  ["digits/mcs15", 0.98],
  ["users_euclidean/mcs5", 0.85],
  ["users_cosine/mcs5", 0.5],
];

// Loaders, cached: several cases share each input and each reachability.

const vectorsCache = new Map<string, Promise<Vectors>>();
const columnsCache = new Map<string, Promise<Map<string, string[]>>>();
const reachabilityCache = new Map<string, Promise<MutualReachability>>();
const resultCache = new Map<string, Promise<HdbscanResult>>();

function loadVectors(dataset: string): Promise<Vectors> {
  const file = INPUT_OF[dataset]!;
  if (!vectorsCache.has(file)) vectorsCache.set(file, readVectors(file));
  return vectorsCache.get(file)!;
}

async function readVectors(file: string): Promise<Vectors> {
  if (file.endsWith(".f32")) {
    const bytes = await Deno.readFile(new URL(file, FIXTURES));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = new Float32Array(bytes.byteLength / 4);
    for (let i = 0; i < data.length; i++) {
      data[i] = view.getFloat32(i * 4, true);
    }
    return { n: data.length / 32, dim: 32, data };
  }
  // Feature columns are p0..p63 (digits) or x0..x7 (blobs); the rest are truth labels.
  const columns = await loadColumns(file);
  const features = [...columns.keys()].filter((name) => /^[px]\d+$/.test(name));
  const n = columns.get(features[0]!)!.length;
  const data = new Float32Array(n * features.length);
  features.forEach((name, j) => {
    columns.get(name)!.forEach((value, row) =>
      data[row * features.length + j] = Number(value)
    );
  });
  return { n, dim: features.length, data };
}

function loadColumns(file: string): Promise<Map<string, string[]>> {
  if (!columnsCache.has(file)) columnsCache.set(file, readColumns(file));
  return columnsCache.get(file)!;
}

async function readColumns(file: string): Promise<Map<string, string[]>> {
  const lines = (await Deno.readTextFile(new URL(file, FIXTURES))).trim().split(
    "\n",
  );
  const header = lines[0]!.split(",");
  const columns = new Map(header.map((name) => [name, [] as string[]]));
  for (const line of lines.slice(1)) {
    line.split(",").forEach((value, i) => columns.get(header[i]!)!.push(value));
  }
  return columns;
}

async function numberColumn(file: string, name: string): Promise<number[]> {
  const column = (await loadColumns(file)).get(name);
  assert.ok(column !== undefined, `missing column ${name} in ${file}`);
  return column.map(Number);
}

function loadReachability(dataset: string, metric: Metric, minSamples: number) {
  const key = `${dataset} ${minSamples}`;
  if (!reachabilityCache.has(key)) {
    reachabilityCache.set(
      key,
      loadVectors(dataset).then((vectors) =>
        mutualReachability(vectors, metric, minSamples)
      ),
    );
  }
  return reachabilityCache.get(key)!;
}

function runCase(referenceCase: ReferenceCase): Promise<HdbscanResult> {
  if (!resultCache.has(referenceCase.name)) {
    resultCache.set(referenceCase.name, clusterCase(referenceCase));
  }
  return resultCache.get(referenceCase.name)!;
}

async function clusterCase(
  referenceCase: ReferenceCase,
): Promise<HdbscanResult> {
  const { dataset, metric, minClusterSize, method } = referenceCase;
  const minSamples = referenceCase.minSamples ?? minClusterSize;
  return clustersFromReachability(
    await loadReachability(dataset, metric, minSamples),
    {
      minClusterSize,
      minSamples,
      clusterSelectionMethod: method,
      clusterSelectionEpsilon: 0,
      allowSingleCluster: false,
      metric,
    },
  );
}

/**
 * Reference core distances and spanning-tree weights in our metric's units:
 * the users_cosine files hold Euclidean distances between L2-normalised rows,
 * and the cosine distance is half that squared.
 */
function toMetricUnits(dataset: string, values: number[]): number[] {
  return dataset === "users_cosine"
    ? values.map((value) => (value * value) / 2)
    : values;
}

function assertValuesClose(
  actual: ArrayLike<number>,
  expected: number[],
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: count`);
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i]! - expected[i]!);
    assert.ok(
      difference <= 1e-6 || difference <= 1e-5 * Math.abs(expected[i]!),
      `${what} ${i}: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

/** Share of the pairs whose values differ by at most `tolerance`. */
function shareWithin(
  actual: ArrayLike<number>,
  expected: number[],
  indices: number[],
  tolerance: number,
): number {
  const close = indices.filter((i) =>
    Math.abs(actual[i]! - expected[i]!) <= tolerance
  );
  return close.length / Math.max(1, indices.length);
}

/** Rows whose label maps to the reference label under the majority matching of clusters. */
function rowsWithMatchingLabels(
  labels: Int32Array,
  reference: number[],
): number[] {
  const votes = new Map<number, Map<number, number>>();
  labels.forEach((label, row) => {
    const labelVotes = votes.get(label) ?? new Map<number, number>();
    labelVotes.set(reference[row]!, (labelVotes.get(reference[row]!) ?? 0) + 1);
    votes.set(label, labelVotes);
  });
  const match = new Map<number, number>();
  for (const [label, counts] of votes) {
    const [best] = [...counts.entries()].sort((a, b) =>
      b[1] - a[1] || a[0] - b[0]
    );
    match.set(label, best![0]);
  }
  return [...labels.keys()].filter((row) =>
    match.get(labels[row]!) === reference[row]
  );
}

function scoreAgreement(name: string): number {
  return SCORE_AGREEMENT.find(([prefix]) => name.startsWith(prefix))?.[1] ??
    0.999;
}

Deno.test("ari identical partitions", () => {
  assert.equal(adjustedRandIndex([0, 0, 1, 1, -1], [5, 5, 2, 2, 7]), 1);
});

Deno.test("ari known value", () => {
  // Pairs together in both: 1; in each: 2 and 1; chance: 2 / 6 * 1.
  assert.ok(
    Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 4 / 7) < 1e-12,
  );
});

Deno.test("ari all singletons against one group", () => {
  assert.equal(adjustedRandIndex([0, 1, 2, 3], [0, 0, 0, 0]), 0);
});

Deno.test("cosine is half squared chord on users", async () => {
  const { data, dim } = await loadVectors("users_cosine");
  const unit = (row: number) => {
    const values = data.subarray(row * dim, (row + 1) * dim);
    const norm = Math.sqrt(values.reduce((sum, x) => sum + x * x, 0));
    return Array.from(values, (x) => x / norm);
  };
  for (const [a, b] of [[0, 1], [2, 19999], [123, 4567]] as const) {
    const chord = euclideanDistance(unit(a), unit(b));
    const cosine = cosineDistance(
      data.subarray(a * dim, (a + 1) * dim),
      data.subarray(b * dim, (b + 1) * dim),
    );
    assert.ok(
      Math.abs(cosine - (chord * chord) / 2) < 1e-12,
      `rows ${a}, ${b}`,
    );
  }
});

const TREES = [
  ...new Set(
    CASES.map((c) =>
      `${c.dataset} ${c.metric} ${c.minSamples ?? c.minClusterSize}`
    ),
  ),
];

for (const tree of TREES) {
  const [dataset, metric, samples] = tree.split(" ") as [
    string,
    Metric,
    string,
  ];
  const minSamples = Number(samples);

  Deno.test(`core distances ${dataset} ms${minSamples}`, async () => {
    const reachability = await loadReachability(dataset, metric, minSamples);
    const file = `${dataset}/core_distances.csv`;
    const expected = toMetricUnits(
      dataset,
      await numberColumn(file, `core_ms${minSamples}`),
    );
    assertValuesClose(
      reachability.coreDistances,
      expected,
      "core distance of row",
    );
  });

  Deno.test(`mst weights ${dataset} ms${minSamples}`, async () => {
    const reachability = await loadReachability(dataset, metric, minSamples);
    const file = `${dataset}/mst_weights_ms${minSamples}.csv`;
    const expected = toMetricUnits(dataset, await numberColumn(file, "weight"));
    const sorted = Float64Array.from(reachability.mst.weight).sort();
    assertValuesClose(sorted, expected, "sorted weight");
  });
}

for (const referenceCase of CASES) {
  const { name, dataset, metric } = referenceCase;
  const caseName = name.split("/")[1]!;
  const resultsFile = `${dataset}/results.csv`;

  Deno.test(`labels ${name}`, async () => {
    const result = await runCase(referenceCase);
    const reference = await numberColumn(resultsFile, `${caseName}_label`);
    const ari = adjustedRandIndex(result.labels, reference);
    const floor = referenceCase.floorReason === undefined
      ? ""
      : ` (shared floor ${referenceCase.sharedMinAri} lowered: ${referenceCase.floorReason})`;
    assert.ok(
      ari >= referenceCase.minAri,
      `ARI ${ari} below ${referenceCase.minAri}${floor}`,
    );
  });

  Deno.test(`probabilities ${name}`, async () => {
    const result = await runCase(referenceCase);
    const reference = await numberColumn(resultsFile, `${caseName}_label`);
    const expected = await numberColumn(resultsFile, `${caseName}_prob`);
    const rows = rowsWithMatchingLabels(result.labels, reference);
    const share = shareWithin(
      result.probabilities,
      expected,
      rows,
      SCORE_TOLERANCE[metric],
    );
    assert.ok(
      share >= scoreAgreement(name),
      `only ${share} of ${rows.length} rows match`,
    );
  });

  Deno.test(`outlier scores ${name}`, async () => {
    const result = await runCase(referenceCase);
    const tree = caseName.replace(/_(eom|leaf)$/, "");
    const expected = await numberColumn(resultsFile, `${tree}_outlier`);
    const rows = [...result.labels.keys()];
    const share = shareWithin(
      result.outlierScores,
      expected,
      rows,
      SCORE_TOLERANCE[metric],
    );
    assert.ok(share >= scoreAgreement(name), `only ${share} of the rows match`);
  });
}
