import { InputError } from "../errors.ts";
import type { HdbscanOptions, Metric, SelectionMethod } from "../types.ts";

/** Options after validation, with min_samples resolved for the row count. */
export interface ResolvedOptions {
  readonly minClusterSize: number;
  /** min_samples as given or defaulted, clamped to [1, n - 1]. */
  readonly minSamples: number;
  readonly method: SelectionMethod;
  readonly epsilon: number;
  readonly allowSingleCluster: boolean;
  readonly metric: Metric;
}

/**
 * Validates `options` for `n` rows and resolves min_samples. Like the
 * reference library, min_samples defaults to min_cluster_size and is clamped
 * to n - 1 (at least 1), because a point has only n - 1 others. A small table
 * then clusters with the densest neighbourhood it can have instead of
 * failing. Any min_cluster_size >= 2 is accepted, and above n every row is
 * noise.
 *
 * @throws {InputError} (status 400) naming the invalid option and its value.
 */
export function resolveOptions(
  options: HdbscanOptions,
  n: number,
): ResolvedOptions {
  const { minClusterSize, clusterSelectionEpsilon: epsilon } = options;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw invalid(
      `Invalid min_cluster_size ${minClusterSize}: use an integer >= 2`,
    );
  }
  const minSamples = options.minSamples ?? minClusterSize;
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw invalid(
      `Invalid min_samples ${minSamples}: use an integer >= 1, or omit it`,
    );
  }
  if (!Number.isFinite(epsilon) || epsilon < 0) {
    throw invalid(
      `Invalid cluster_selection_epsilon ${epsilon}: use a finite number >= 0`,
    );
  }
  if (
    options.clusterSelectionMethod !== "eom" &&
    options.clusterSelectionMethod !== "leaf"
  ) {
    throw invalid(
      `Invalid cluster_selection_method "${options.clusterSelectionMethod}": use eom or leaf`,
    );
  }
  if (options.metric !== "euclidean" && options.metric !== "cosine") {
    throw invalid(
      `Invalid metric "${options.metric}": use euclidean or cosine`,
    );
  }
  if (typeof options.allowSingleCluster !== "boolean") {
    throw invalid(
      `Invalid allow_single_cluster ${options.allowSingleCluster}: use true or false`,
    );
  }
  return {
    minClusterSize,
    minSamples: Math.max(1, Math.min(minSamples, n - 1)),
    method: options.clusterSelectionMethod,
    epsilon,
    allowSingleCluster: options.allowSingleCluster,
    metric: options.metric,
  };
}

function invalid(message: string): InputError {
  return new InputError(message, { status: 400 });
}
