/**
 * Fit performance at scale, too slow for Deno.bench's repeated runs. Prints
 * Markdown tables for the "Fit performance" section of docs/BENCHMARKS.md.
 *
 *   deno task bench:scale [SECTION...] [--runs N] [--sizes 10000,50000]
 *
 * Sections (all by default):
 *
 * - fit: the whole fit (kNN, HDBSCAN with min_cluster_size 15, UMAP) of
 *   generated blobs of 32 dimensions, each run in a fresh process under GNU
 *   time, whose report gives the process's peak resident memory. Medians
 *   over the runs, the growth exponent between 50k and 200k rows, and the
 *   resident memory when each stage ends.
 * - perf50k: HDBSCAN (min_cluster_size 50) on perf_50k.parquet as
 *   `deno task cluster --no-umap` runs it: time, and adjusted Rand index
 *   against the reference labels.
 * - recall: recall at k = 15 of the approximate builder against the exact
 *   one, on 20,000-row tables and on the whole of perf_50k.
 * - largek: the exact search against NN-descent on all of perf_50k at
 *   k = 15 and k = 50 (min_cluster_size 50), and the exact search at
 *   k = 500 (the notebook's min_cluster_size), where NN-descent takes
 *   minutes.
 * - digits: our UMAP against umap-js's own fit on the 1,797 digits, time
 *   and trustworthiness (k = 15; umap-learn reaches 0.9871).
 * - cluster: `deno task cluster` on users.parquet against umap-js's default
 *   fit alone on the same vectors, time and trustworthiness.
 * - query: queryNearest for 1,000 new rows (k = 30) against a model of
 *   100,000 rows, as the stream places appended rows: one scan per row,
 *   against the cell index the batch builds.
 *
 * The shared data sets (../shared) are skipped when missing.
 */

import { resolveFitParams } from "../core/fit/params.ts";
import { fitModel } from "../core/fit/pipeline.ts";
import { adaptiveKnn, exactKnn, nnDescentKnn } from "../core/knn/mod.ts";
import { createQueryIndex, queryNearest } from "../core/knn/query.ts";
import { closeDuckDB } from "../core/load/mod.ts";
import { trustworthiness } from "../core/metrics/trustworthiness.ts";
import type { KnnGraph, Vectors } from "../core/types.ts";
import { umapLayout } from "../core/umap/mod.ts";
import { adjustedRandIndex } from "../tests/_ari.ts";
import {
  digits,
  generatedBlobs,
  machine,
  mean,
  median,
  perf50k,
  SHARED,
  users,
} from "./_fit_data.ts";

const encoder = new TextEncoder();
const print = (line = "") => Deno.stdout.writeSync(encoder.encode(line + "\n"));
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mebibytes = (bytes: number) => (bytes / 1048576).toFixed(0);

const SECTIONS = [
  "fit",
  "perf50k",
  "recall",
  "largek",
  "digits",
  "cluster",
  "query",
];
const DEFAULT_SIZES = [10_000, 50_000, 100_000, 200_000];

/**
 * GNU time, whose report gives a child's peak resident memory: Deno reads
 * /proc/self/status only with --allow-all.
 */
const GNU_TIME = "/usr/bin/time";

/** Trustworthiness queries for the 20,000-row layouts: an evenly spaced sample. */
const TRUST_QUERIES = 4_000;

const { sections, runs, sizes, child } = parseArgs(Deno.args);
if (child !== undefined) {
  await runChild(child);
} else {
  print(`Machine: ${machine()}; median of ${runs} runs unless noted.`);
  for (const section of sections) {
    print();
    if (section === "fit") await fitSection();
    if (section === "perf50k") await perfSection();
    if (section === "recall") await recallSection();
    if (section === "largek") await largeKSection();
    if (section === "digits") await digitsSection();
    if (section === "cluster") await clusterSection();
    if (section === "query") querySection();
  }
  await closeDuckDB();
}

/** Whole fits of generated blobs by size, each in its own process. */
async function fitSection(): Promise<void> {
  print(
    "| rows x 32 | kNN (s) | HDBSCAN (s) | UMAP (s) | whole fit (s) | peak memory (MiB) |",
  );
  print("| ---: | ---: | ---: | ---: | ---: | ---: |");
  const memoryRows: string[] = [];
  const totals = new Map<number, number>();
  const peaks = new Map<number, number>();
  for (const n of sizes) {
    const results: Record<string, number>[] = [];
    for (let run = 0; run < runs; run++) {
      results.push(await inChild(["fit", String(n)]));
    }
    const stage = (name: string) => median(results.map((r) => r[name]!));
    totals.set(n, stage("total"));
    peaks.set(n, Math.max(...results.map((r) => r.peakBytes!)));
    print(
      `| ${n.toLocaleString("en")} | ${seconds(stage("knn"))} | ${
        seconds(stage("hdbscan"))
      } | ${seconds(stage("umap"))} | ${seconds(stage("total"))} | ${
        mebibytes(peaks.get(n)!)
      } |`,
    );
    memoryRows.push(
      `| ${n.toLocaleString("en")} | ${mebibytes(stage("dataBytes"))} | ${
        mebibytes(stage("knnBytes"))
      } | ${mebibytes(stage("hdbscanBytes"))} | ${
        mebibytes(stage("umapBytes"))
      } | ${mebibytes(peaks.get(n)!)} |`,
    );
  }
  print();
  print(
    "| rows x 32 | resident after data (MiB) | after kNN and UMAP's graph | after HDBSCAN | after UMAP | peak (MiB) |",
  );
  print("| ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of memoryRows) print(row);
  const small = totals.get(50_000);
  const large = totals.get(200_000);
  if (small !== undefined && large !== undefined) {
    const exponent = (a: number, b: number) => Math.log(b / a) / Math.log(4);
    print();
    print(
      `Growth from 50k to 200k rows: time ~ n^${
        exponent(small, large).toFixed(2)
      }, peak memory ~ n^${
        exponent(peaks.get(50_000)!, peaks.get(200_000)!).toFixed(2)
      }.`,
    );
  }
}

/** HDBSCAN with min_cluster_size 50 on perf_50k, as the --no-umap fit runs it. */
async function perfSection(): Promise<void> {
  const results: Record<string, number>[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await inChild(["perf50k"]);
    if (result.skipped) {
      print(
        "perf_50k: skipped, ../shared/datasets/perf_50k.parquet is missing.",
      );
      return;
    }
    results.push(result);
  }
  const value = (name: string) => median(results.map((r) => r[name]!));
  print(
    "| perf_50k, min_cluster_size 50 | kNN, k = 50 (s) | HDBSCAN (s) | kNN + HDBSCAN (s) | clusters | ARI vs reference | peak memory (MiB) |",
  );
  print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  print(
    `| fitModel, no UMAP | ${seconds(value("knn"))} | ${
      seconds(value("hdbscan"))
    } | ${seconds(value("knn") + value("hdbscan"))} | ${value("clusters")} | ${
      value("ari").toFixed(4)
    } | ${mebibytes(value("peakBytes"))} |`,
  );
}

/** Recall at k = 15 of NN-descent against the exact graph. */
async function recallSection(): Promise<void> {
  const perf = await perf50k();
  const usersVectors = await users();
  const tables: [string, Vectors][] = [[
    "blobs, 20,000 x 32",
    generatedBlobs(20_000),
  ]];
  if (usersVectors !== undefined) {
    tables.push(["users.parquet, 20,000 x 32", usersVectors]);
  }
  if (perf !== undefined) {
    const { data, dim } = perf.vectors;
    tables.push(["perf_50k, first 20,000 rows", {
      n: 20_000,
      dim,
      data: data.subarray(0, 20_000 * dim),
    }]);
    tables.push(["perf_50k, all 50,000 rows", perf.vectors]);
  }
  print(
    "| table | metric | exact kNN (s) | NN-descent (s) | recall at k = 15 |",
  );
  print("| --- | --- | ---: | ---: | ---: |");
  for (const [name, vectors] of tables) {
    for (const metric of ["euclidean", "cosine"] as const) {
      let start = performance.now();
      const exact = exactKnn(vectors, 15, metric);
      const exactTime = performance.now() - start;
      start = performance.now();
      const approximate = nnDescentKnn(vectors, 15, metric);
      const approximateTime = performance.now() - start;
      print(
        `| ${name} | ${metric} | ${seconds(exactTime)} | ${
          seconds(approximateTime)
        } | ${recall(approximate, exact).toFixed(4)} |`,
      );
    }
  }
}

/** Exact search and NN-descent at the k of large min_cluster_size values. */
async function largeKSection(): Promise<void> {
  const perf = await perf50k();
  if (perf === undefined) {
    print("largek: skipped, ../shared/datasets/perf_50k.parquet is missing.");
    return;
  }
  const time = (build: () => unknown) => {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      build();
      times.push(performance.now() - start);
    }
    return seconds(median(times));
  };
  const { vectors } = perf;
  print(
    "| perf_50k, 50,000 x 32, euclidean | exact kNN (s) | NN-descent (s) |",
  );
  print("| --- | ---: | ---: |");
  print(
    `| k = 15 | ${time(() => exactKnn(vectors, 15, "euclidean"))} | ${
      time(() => nnDescentKnn(vectors, 15, "euclidean"))
    } |`,
  );
  print(
    `| k = 50 | ${time(() => exactKnn(vectors, 50, "euclidean"))} | ${
      time(() => nnDescentKnn(vectors, 50, "euclidean"))
    } |`,
  );
  print(
    `| k = 500 | ${
      time(() => exactKnn(vectors, 500, "euclidean"))
    } | not run (minutes) |`,
  );
}

/** Our UMAP against umap-js's fit on the digits. */
async function digitsSection(): Promise<void> {
  const vectors = digits();
  if (vectors === undefined) {
    print("digits: skipped, ../shared/datasets/digits.csv is missing.");
    return;
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  let ourLayout: Float32Array = new Float32Array(0);
  let theirLayout: Float32Array = new Float32Array(0);
  for (let run = 0; run < runs; run++) {
    // The pipeline's path at 1,797 rows: the exact graph, then the layout.
    const start = performance.now();
    const knn = adaptiveKnn(vectors, 14, "euclidean");
    ourLayout = umapLayout(knn, {
      nNeighbors: 15,
      minDist: 0.1,
      spread: 1,
      seed: 42,
    }).coordinates;
    ours.push(performance.now() - start);

    const umapJs = await umapJsInChild(vectors);
    theirs.push(umapJs.time);
    theirLayout = umapJs.layout;
  }
  const ourTrust = trustworthiness(vectors, ourLayout, 15, "euclidean");
  const theirTrust = trustworthiness(vectors, theirLayout, 15, "euclidean");
  print("| digits, 1,797 x 64 | time (s) | trustworthiness, k = 15 |");
  print("| --- | ---: | ---: |");
  print(
    `| clusterscope: exact kNN + UMAP | ${seconds(median(ours))} | ${
      ourTrust.toFixed(4)
    } |`,
  );
  print(
    `| umap-js fit | ${seconds(median(theirs))} | ${theirTrust.toFixed(4)} |`,
  );
  print(`| umap-learn 0.5.7 (reference) | | 0.9871 |`);
  print();
  print(`umap-js time / ours: ${(median(theirs) / median(ours)).toFixed(2)}.`);
}

/**
 * `deno task cluster` on users.parquet against umap-js's default fit alone.
 * Run r uses seed 42 + r on both sides, so the trustworthiness compares
 * several layouts, not one draw each.
 */
async function clusterSection(): Promise<void> {
  const vectors = await users();
  if (vectors === undefined) {
    print("cluster: skipped, ../shared/datasets/users.parquet is missing.");
    return;
  }
  const out = await Deno.makeTempFile({ suffix: ".csv" });
  const trust = (layout: Float32Array) =>
    trustworthiness(vectors, layout, 15, "euclidean", TRUST_QUERIES);
  const ours: number[] = [];
  const theirs: number[] = [];
  const ourTrust: number[] = [];
  const theirTrust: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const seed = 42 + run;
      const start = performance.now();
      const status = await new Deno.Command(Deno.execPath(), {
        args: [
          "task",
          "--quiet",
          "cluster",
          new URL("datasets/users.parquet", SHARED).pathname,
          "--vector",
          "embedding",
          "--seed",
          String(seed),
          "--out",
          out,
        ],
        cwd: new URL("..", import.meta.url).pathname,
        stdout: "null",
        stderr: "null",
      }).output();
      if (!status.success) throw new Error("deno task cluster failed");
      ours.push(performance.now() - start);
      ourTrust.push(trust(readLayout(out, vectors.n)));

      const umapJs = await umapJsInChild(vectors, seed);
      theirs.push(umapJs.time);
      theirTrust.push(trust(umapJs.layout));
    }
    const listed = (values: number[]) =>
      `${mean(values).toFixed(4)} (${
        values.map((value) => value.toFixed(4)).join(", ")
      })`;
    print(
      "| users.parquet, 20,000 x 32 | time (s) | trustworthiness, k = 15: mean (each seed) |",
    );
    print("| --- | ---: | ---: |");
    print(
      `| \`deno task cluster\` (load, kNN, HDBSCAN, UMAP, write) | ${
        seconds(median(ours))
      } | ${listed(ourTrust)} |`,
    );
    print(
      `| umap-js default fit alone | ${seconds(median(theirs))} | ${
        listed(theirTrust)
      } |`,
    );
    print(`| umap-learn 0.5.7 (reference, all rows) | | 0.9598 |`);
    print();
    print(
      `umap-js fit / cluster command: ${
        (median(theirs) / median(ours)).toFixed(2)
      }. Seeds ${42} to ${42 + runs - 1}; trustworthiness over ${
        TRUST_QUERIES.toLocaleString("en")
      } evenly spaced rows.`,
    );
  } finally {
    await Deno.remove(out);
  }
}

/** Placing 1,000 rows into a 100,000-row model: scans against the cell index. */
function querySection(): void {
  const model = 100_000;
  const batch = 1_000;
  const all = generatedBlobs(model + batch);
  const { dim } = all;
  const modelRows = { n: model, dim, data: all.data.subarray(0, model * dim) };
  const newRows = { n: batch, dim, data: all.data.subarray(model * dim) };
  const scans: number[] = [];
  const builds: number[] = [];
  const searches: number[] = [];
  for (let run = 0; run < runs; run++) {
    // Batches of 63 rows stay below the index threshold, so they scan.
    const scanIndex = createQueryIndex(modelRows, "euclidean");
    let start = performance.now();
    for (let first = 0; first < batch; first += 63) {
      const count = Math.min(63, batch - first);
      queryNearest(scanIndex, {
        n: count,
        dim,
        data: newRows.data.subarray(first * dim, (first + count) * dim),
      }, 30);
    }
    scans.push(performance.now() - start);

    const index = createQueryIndex(modelRows, "euclidean");
    start = performance.now();
    queryNearest(index, newRows, 30);
    builds.push(performance.now() - start);
    start = performance.now();
    queryNearest(index, newRows, 30);
    searches.push(performance.now() - start);
  }
  print("| 1,000 rows into a 100,000 x 32 model, k = 30 | time (s) |");
  print("| --- | ---: |");
  print(`| scans (batches below 64 rows) | ${seconds(median(scans))} |`);
  print(
    `| first batch: builds the cell index, then searches it | ${
      seconds(median(builds))
    } |`,
  );
  print(
    `| later batch: searches the cell index | ${seconds(median(searches))} |`,
  );
}

/**
 * Runs one measurement in a child process and returns its JSON result, with
 * `peakBytes`, the child's peak resident memory (NaN without GNU time).
 */
async function inChild(args: string[]): Promise<Record<string, number>> {
  const deno = [
    Deno.execPath(),
    "run",
    "--allow-read",
    "--allow-env",
    "--allow-sys",
    new URL(import.meta.url).pathname,
    "--child",
    ...args,
  ];
  const timed = hasGnuTime();
  const command = timed ? [GNU_TIME, "-f", "PEAK_KB %M", ...deno] : deno;
  const output = await new Deno.Command(command[0]!, {
    args: command.slice(1),
    cwd: new URL("..", import.meta.url).pathname,
    stderr: "piped",
  }).output();
  const errors = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    throw new Error(`child ${args.join(" ")} failed: ${errors}`);
  }
  const peak = errors.match(/PEAK_KB (\d+)/);
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  return { ...result, peakBytes: peak ? Number(peak[1]) * 1024 : NaN };
}

function hasGnuTime(): boolean {
  try {
    return Deno.statSync(GNU_TIME).isFile;
  } catch {
    return false;
  }
}

/** Runs the child side of {@link inChild}: one measurement, printed as one JSON line. */
/** Returns the process's resident set size in bytes. */
function rss(): number {
  return Deno.memoryUsage().rss;
}

async function runChild(args: string[]): Promise<void> {
  const [kind, size] = args;
  if (kind === "fit") {
    const vectors = generatedBlobs(Number(size));
    // Resident memory when each stage ends. Freed memory rarely goes back to
    // the system, so each figure is close to the peak up to that point.
    const resident: Record<string, number> = { dataBytes: rss() };
    const onProgress = (_fraction: number, stage: string) => {
      if (stage === "clustering") resident.knnBytes ??= rss();
      if (stage === "layout") resident.hdbscanBytes ??= rss();
    };
    const start = performance.now();
    const fit = fitModel(vectors, resolveFitParams({ minClusterSize: 15 }), {
      onProgress,
    });
    const total = performance.now() - start;
    resident.umapBytes = rss();
    print(JSON.stringify({ ...fit.timings, total, ...resident }));
    return;
  }
  const perf = await perf50k();
  await closeDuckDB();
  if (perf === undefined) {
    print(JSON.stringify({ skipped: 1 }));
    return;
  }
  const params = resolveFitParams({ minClusterSize: 50, umap: false });
  const fit = fitModel(perf.vectors, params);
  print(JSON.stringify({
    knn: fit.timings.knn,
    hdbscan: fit.timings.hdbscan,
    clusters: fit.clusterCount,
    ari: adjustedRandIndex(fit.labels, perf.referenceLabels),
  }));
}

/**
 * Runs umap-js's fit alone on `vectors` in a fresh process
 * (bench/_umap_js_fit.ts) and returns its time in ms and its layout.
 */
async function umapJsInChild(
  vectors: Vectors,
  seed = 42,
): Promise<{ time: number; layout: Float32Array }> {
  const input = await Deno.makeTempFile({ suffix: ".f32" });
  const output = await Deno.makeTempFile({ suffix: ".f32" });
  try {
    const { data } = vectors;
    await Deno.writeFile(
      input,
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        `--allow-write=${output}`,
        new URL("_umap_js_fit.ts", import.meta.url).pathname,
        input,
        String(vectors.dim),
        output,
        String(seed),
      ],
      cwd: new URL("..", import.meta.url).pathname,
      stderr: "inherit",
    }).output();
    if (!result.success) throw new Error("umap-js fit failed");
    const { fit } = JSON.parse(new TextDecoder().decode(result.stdout));
    const layout = new Float32Array((await Deno.readFile(output)).buffer);
    return { time: fit, layout };
  } finally {
    await Deno.remove(input);
    await Deno.remove(output);
  }
}

/** Reads x and y of `deno task cluster`'s CSV output. */
function readLayout(path: string, n: number): Float32Array {
  const lines = Deno.readTextFileSync(path).trim().split("\n");
  const header = lines[0]!.split(",");
  const x = header.indexOf("x");
  const y = header.indexOf("y");
  const layout = new Float32Array(n * 2);
  for (let row = 0; row < n; row++) {
    const cells = lines[row + 1]!.split(",");
    layout[row * 2] = Number(cells[x]);
    layout[row * 2 + 1] = Number(cells[y]);
  }
  return layout;
}

/** Share of the exact neighbours (as sets per row) that `approximate` lists. */
function recall(approximate: KnnGraph, exact: KnnGraph): number {
  const { n, k } = exact;
  let found = 0;
  const truth = new Set<number>();
  for (let row = 0; row < n; row++) {
    truth.clear();
    for (let t = 0; t < k; t++) truth.add(exact.indices[row * k + t]!);
    for (let t = 0; t < k; t++) {
      if (truth.has(approximate.indices[row * k + t]!)) found++;
    }
  }
  return found / (n * k);
}

function parseArgs(args: string[]): {
  sections: string[];
  runs: number;
  sizes: number[];
  child: string[] | undefined;
} {
  const childAt = args.indexOf("--child");
  if (childAt >= 0) {
    return { sections: [], runs: 1, sizes: [], child: args.slice(childAt + 1) };
  }
  let runs = 3;
  let sizes = DEFAULT_SIZES;
  const sections: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--runs") runs = Number(args[++i]);
    else if (arg === "--sizes") sizes = args[++i]!.split(",").map(Number);
    else if (SECTIONS.includes(arg)) sections.push(arg);
    else {
      throw new RangeError(
        `Unknown argument "${arg}": use ${
          SECTIONS.join(", ")
        }, --runs N or --sizes A,B`,
      );
    }
  }
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`Invalid --runs ${runs}: use an integer >= 1`);
  }
  return {
    sections: sections.length > 0 ? sections : SECTIONS,
    runs,
    sizes,
    child: undefined,
  };
}
