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
 * One immutable model of a data set. The registry publishes a new snapshot by
 * swapping a reference, so a reader keeps a consistent one for its whole
 * request.
 */
export interface Snapshot {
  readonly version: number;
  readonly rowCount: number;
  readonly labels: Int32Array;
  readonly probabilities: Float64Array;
  readonly outlierScores: Float64Array;
  readonly layout: Float32Array | null;
  /** Clusters by ascending label; noise, if any, comes last. */
  readonly clusters: readonly ClusterInfo[];
  readonly clusterCount: number;
  readonly noiseCount: number;
  readonly params: FitParams;
  /** Content hash of (data, parameters, seed): equal inputs give equal hashes. */
  readonly hash: string;
  readonly timings: FitResult["timings"];
}

/** Builds a snapshot from a fit, with per-cluster counts and means. */
export function createSnapshot(
  version: number,
  fit: FitResult,
  params: FitParams,
  dataHash: string,
): Promise<Snapshot> {
  const clusters = summariseClusters(fit);
  const noise = clusters.find((cluster) => cluster.label === -1);
  return hashParts([dataHash, JSON.stringify(params)]).then((hash) => ({
    version,
    rowCount: fit.n,
    labels: fit.labels,
    probabilities: fit.probabilities,
    outlierScores: fit.outlierScores,
    layout: fit.layout,
    clusters,
    clusterCount: fit.clusterCount,
    noiseCount: noise?.size ?? 0,
    params,
    hash,
    timings: fit.timings,
  }));
}

function summariseClusters(fit: FitResult): ClusterInfo[] {
  const slots = fit.clusterCount + 1;
  const sizes = new Float64Array(slots);
  const probabilitySums = new Float64Array(slots);
  const outlierSums = new Float64Array(slots);
  for (let i = 0; i < fit.n; i++) {
    const label = fit.labels[i]!;
    const slot = label < 0 ? fit.clusterCount : label;
    sizes[slot]!++;
    probabilitySums[slot]! += fit.probabilities[i]!;
    outlierSums[slot]! += fit.outlierScores[i]!;
  }
  const clusters: ClusterInfo[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const size = sizes[slot]!;
    if (size === 0 && slot === fit.clusterCount) continue;
    clusters.push({
      label: slot === fit.clusterCount ? -1 : slot,
      size,
      meanProbability: size > 0 ? probabilitySums[slot]! / size : 0,
      meanOutlierScore: size > 0 ? outlierSums[slot]! / size : 0,
    });
  }
  return clusters;
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
