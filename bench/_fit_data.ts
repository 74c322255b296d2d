/**
 * Inputs of the fit benchmarks: generated blobs at any size, and the shared
 * data sets next to the repository when they are present.
 */
import { loadFile } from "../core/load/mod.ts";
import type { Vectors } from "../core/types.ts";
import { blobVectors } from "./_vectors.ts";

/** Folder of the shared data sets and reference results, beside the repository. */
export const SHARED = new URL("../../shared/", import.meta.url);

/** Dimensions and cluster count of the generated blobs. */
export const BLOB_DIM = 32;
export const BLOB_CLUSTERS = 20;

/** Gaussian blobs of `n` rows x 32 dimensions in 20 clusters, the same for the same `n`. */
export function generatedBlobs(n: number): Vectors {
  return blobVectors(n, BLOB_DIM, BLOB_CLUSTERS, 7);
}

/** Returns whether `path` (relative to the shared folder) exists. */
export function hasShared(path: string): boolean {
  try {
    Deno.statSync(new URL(path, SHARED));
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the perf_50k embedding (50,000 x 32) as the project loads it from
 * perf_50k.parquet, with its reference labels (min_cluster_size 50), or
 * undefined without the shared folder.
 */
export async function perf50k(): Promise<
  { vectors: Vectors; referenceLabels: Int32Array } | undefined
> {
  const parquet = "datasets/perf_50k.parquet";
  const labels = "reference/hdbscan/perf_50k/mcs50_msdefault_eom.csv";
  if (!hasShared(parquet) || !hasShared(labels)) return undefined;
  const table = await loadFile(new URL(parquet, SHARED).pathname, {
    vectorSpec: { vector: "embedding" },
  });
  const lines = Deno.readTextFileSync(new URL(labels, SHARED)).trim().split(
    "\n",
  );
  const column = lines[0]!.split(",").indexOf("hdb_label");
  const referenceLabels = Int32Array.from(
    lines.slice(1),
    (line) => Number(line.split(",")[column]),
  );
  return { vectors: table.vectors, referenceLabels };
}

/** Loads the users embedding (20,000 x 32) as `deno task cluster` does from users.parquet, or returns undefined. */
export async function users(): Promise<Vectors | undefined> {
  const parquet = "datasets/users.parquet";
  if (!hasShared(parquet)) return undefined;
  const table = await loadFile(new URL(parquet, SHARED).pathname, {
    vectorSpec: { vector: "embedding" },
  });
  return table.vectors;
}

/** Reads the 1,797 digits of datasets/digits.csv (64 pixel columns), or returns undefined. */
export function digits(): Vectors | undefined {
  const csv = "datasets/digits.csv";
  if (!hasShared(csv)) return undefined;
  const lines = Deno.readTextFileSync(new URL(csv, SHARED)).trim().split("\n");
  const header = lines[0]!.split(",");
  const columns = header.flatMap((name, i) => /^p\d+$/.test(name) ? [i] : []);
  const n = lines.length - 1;
  const data = new Float32Array(n * columns.length);
  for (let row = 0; row < n; row++) {
    const cells = lines[row + 1]!.split(",");
    columns.forEach((column, t) => {
      data[row * columns.length + t] = Number(cells[column]);
    });
  }
  return { n, dim: columns.length, data };
}

/** Median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Arithmetic mean of `values`. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Describes the machine as docs/BENCHMARKS.md records it: core count and
 * Deno version.
 * The CPU model is in /proc/cpuinfo, which Deno reads only with --allow-all.
 */
export function machine(): string {
  return `${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}`;
}
