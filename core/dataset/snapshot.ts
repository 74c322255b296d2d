import type { FitParams } from "../fit/params.ts";
import type { FitResult } from "../fit/pipeline.ts";

/** Size and quality of one cluster, or of the noise (label -1). */
export interface ClusterInfo {
  readonly label: number;
  readonly size: number;
  readonly meanProbability: number;
  readonly meanOutlierScore: number;
}

/**
 * One immutable model of a data set. The data set publishes a new snapshot by
 * swapping a reference, so a reader keeps a consistent one for its whole
 * request. Labels are stable cluster ids, which survive refits.
 */
export interface Snapshot {
  /** Increases with every publication: each append and each refit. */
  readonly version: number;
  /** Increases with every fit. */
  readonly modelVersion: number;
  readonly rowCount: number;
  readonly labels: Int32Array;
  readonly probabilities: Float64Array;
  readonly outlierScores: Float64Array;
  readonly layout: Float32Array | null;
  /** Clusters by ascending id; noise, if any, comes last. */
  readonly clusters: readonly ClusterInfo[];
  readonly clusterCount: number;
  readonly noiseCount: number;
  readonly params: FitParams;
  /** Content hash of (data, parameters, seed, model version): equal histories give equal hashes. */
  readonly hash: string;
  /** Timings of the last fit. */
  readonly timings: FitResult["timings"];
}

/** Per-row arrays of a snapshot. */
export interface SnapshotRows {
  labels: Int32Array;
  probabilities: Float64Array;
  outlierScores: Float64Array;
  layout: Float32Array | null;
}

/** Builds a snapshot from its rows, with per-cluster counts and means. */
export async function createSnapshot(
  version: number,
  modelVersion: number,
  rows: SnapshotRows,
  params: FitParams,
  dataHash: string,
  timings: FitResult["timings"],
): Promise<Snapshot> {
  const clusters = summariseClusters(rows);
  const noise = clusters.find((cluster) => cluster.label === -1);
  const hash = await hashParts([
    dataHash,
    JSON.stringify(params),
    String(modelVersion),
  ]);
  return {
    version,
    modelVersion,
    rowCount: rows.labels.length,
    ...rows,
    clusters,
    clusterCount: clusters.length - (noise ? 1 : 0),
    noiseCount: noise?.size ?? 0,
    params,
    hash,
    timings,
  };
}

function summariseClusters(rows: SnapshotRows): ClusterInfo[] {
  const sums = new Map<
    number,
    { size: number; probability: number; outlier: number }
  >();
  for (let i = 0; i < rows.labels.length; i++) {
    const label = rows.labels[i]!;
    let entry = sums.get(label);
    if (!entry) {
      sums.set(label, entry = { size: 0, probability: 0, outlier: 0 });
    }
    entry.size++;
    entry.probability += rows.probabilities[i]!;
    entry.outlier += rows.outlierScores[i]!;
  }
  const labels = [...sums.keys()].sort(noiseLast);
  return labels.map((label) => {
    const { size, probability, outlier } = sums.get(label)!;
    return {
      label,
      size,
      meanProbability: probability / size,
      meanOutlierScore: outlier / size,
    };
  });
}

/** Returns the hex SHA-256 of the given parts, each length-prefixed. */
export async function hashParts(
  parts: (string | Uint8Array)[],
): Promise<string> {
  const encoder = new TextEncoder();
  const chunks = parts.map((part) =>
    typeof part === "string" ? encoder.encode(part) : part
  );
  const total = chunks.reduce((sum, chunk) => sum + chunk.length + 8, 0);
  const buffer = new Uint8Array(total);
  const view = new DataView(buffer.buffer);
  let offset = 0;
  for (const chunk of chunks) {
    view.setFloat64(offset, chunk.length);
    buffer.set(chunk, offset + 8);
    offset += chunk.length + 8;
  }
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(
    new Uint8Array(digest),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** Returns the bytes of a float array, for hashing. */
export function bytesOf(array: Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Orders cluster labels ascending, with noise (-1) last. */
function noiseLast(a: number, b: number): number {
  if (a === -1) return b === -1 ? 0 : 1;
  if (b === -1) return -1;
  return a - b;
}
