import { InputError } from "../errors.ts";
import type { HdbscanOptions, Metric, SelectionMethod } from "../types.ts";

/** Everything that decides a fit: clustering, projection and seed. */
export interface FitParams {
  hdbscan: HdbscanOptions;
  umap: {
    enabled: boolean;
    nNeighbors: number;
    minDist: number;
    seed: number;
  };
}

/** Parameters as a user writes them, before defaults and checks. */
export interface FitParamsInput {
  minClusterSize?: number;
  minSamples?: number;
  method?: string;
  metric?: string;
  epsilon?: number;
  allowSingleCluster?: boolean;
  seed?: number;
  umap?: boolean;
  nNeighbors?: number;
  minDist?: number;
}

const METRICS: readonly Metric[] = ["euclidean", "cosine"];
const METHODS: readonly SelectionMethod[] = ["eom", "leaf"];

/** Applies defaults and validates each value, naming it in the error. */
export function resolveFitParams(input: FitParamsInput): FitParams {
  const minClusterSize = input.minClusterSize ?? 15;
  requireInteger("min_cluster_size", minClusterSize, 2);
  if (input.minSamples !== undefined) {
    requireInteger("min_samples", input.minSamples, 1);
  }
  const metric = (input.metric ?? "euclidean") as Metric;
  if (!METRICS.includes(metric)) {
    throw new InputError(
      `Invalid metric "${input.metric}": use euclidean or cosine`,
      { status: 400 },
    );
  }
  const method = (input.method ?? "eom") as SelectionMethod;
  if (!METHODS.includes(method)) {
    throw new InputError(
      `Invalid cluster selection method "${input.method}": use eom or leaf`,
      {
        status: 400,
      },
    );
  }
  const epsilon = input.epsilon ?? 0;
  if (!(Number.isFinite(epsilon) && epsilon >= 0)) {
    throw new InputError(
      `Invalid cluster_selection_epsilon ${input.epsilon}: use a number >= 0`,
      {
        status: 400,
      },
    );
  }
  const seed = input.seed ?? 42;
  requireInteger("seed", seed, 0);
  const nNeighbors = input.nNeighbors ?? 15;
  requireInteger("n_neighbors", nNeighbors, 2);
  const minDist = input.minDist ?? 0.1;
  if (!(Number.isFinite(minDist) && minDist >= 0 && minDist <= 1)) {
    throw new InputError(
      `Invalid min_dist ${input.minDist}: use a number from 0 to 1 (the layout's spread), such as 0.1`,
      { status: 400 },
    );
  }
  return {
    hdbscan: {
      minClusterSize,
      minSamples: input.minSamples,
      clusterSelectionMethod: method,
      clusterSelectionEpsilon: epsilon,
      allowSingleCluster: input.allowSingleCluster ?? false,
      metric,
    },
    umap: { enabled: input.umap ?? true, nNeighbors, minDist, seed },
  };
}

/**
 * Rejects a value that is not a safe integer (at most 2^53 - 1) or is below
 * `min`. A float64 cannot hold every integer above that, and values such as
 * 1e99 would pass a plain integer check.
 */
function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InputError(
      `Invalid ${name} ${value}: use an integer from ${min} to ${Number.MAX_SAFE_INTEGER}`,
      { status: 400 },
    );
  }
}
