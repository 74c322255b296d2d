import { tabulateClusters } from "../hdbscan/clusters.ts";
import type { CondensedTree } from "../types.ts";

/**
 * Lookup tables for placing a new point into a fitted HDBSCAN model, precomputed per
 * cluster of the condensed tree (indexed by cluster id minus n, so the root
 * is index 0).
 */
export interface PredictionModel {
  /** Points of the fitted model. */
  readonly n: number;
  readonly minSamples: number;
  readonly coreDistances: Float64Array;
  /** Cluster index each model point falls out of, and the lambda at which it does. */
  readonly pointCluster: Int32Array;
  readonly pointLambda: Float64Array;
  /** Parent cluster index (-1 for the root) and birth lambda of each cluster. */
  readonly clusterParent: Int32Array;
  readonly clusterBirth: Float64Array;
  /** Label of the selected cluster at or above each cluster, -1 when none is. */
  readonly clusterLabel: Int32Array;
  /** Largest lambda inside each selected cluster, copied to its descendants: the probability scale. */
  readonly membershipScale: Float64Array;
  /** Largest finite lambda of the edges leaving each cluster directly: the GLOSH scale. */
  readonly outlierScale: Float64Array;
}

/**
 * Builds the prediction model from a fit's condensed tree and selected
 * clusters (`selected[label]` is the cluster id of that label).
 */
export function buildPredictionModel(
  tree: CondensedTree,
  selected: Int32Array,
  coreDistances: Float64Array,
  minSamples: number,
): PredictionModel {
  const n = coreDistances.length;
  const table = tabulateClusters(tree, n);

  // Where each point leaves the tree.
  const pointCluster = new Int32Array(n);
  const pointLambda = new Float64Array(n);
  for (let e = 0; e < tree.parent.length; e++) {
    const child = tree.child[e]!;
    if (child >= n) continue;
    pointCluster[child] = tree.parent[e]! - n;
    pointLambda[child] = tree.lambda[e]!;
  }

  // Largest finite lambda of each cluster's own edges.
  const outlierScale = new Float64Array(table.count);
  for (let e = 0; e < tree.parent.length; e++) {
    const lambda = tree.lambda[e]!;
    const cluster = tree.parent[e]! - n;
    if (Number.isFinite(lambda) && lambda > outlierScale[cluster]!) {
      outlierScale[cluster] = lambda;
    }
  }

  // Labels and probability scales flow from each selected cluster to its
  // descendants; cluster ids grow with depth, so one pass in id order suffices.
  const clusterLabel = new Int32Array(table.count).fill(-1);
  const membershipScale = new Float64Array(table.count);
  selected.forEach((id, label) => {
    clusterLabel[id - n] = label;
    membershipScale[id - n] = outlierScale[id - n]!;
  });
  for (let c = 1; c < table.count; c++) {
    const parent = table.parent[c]!;
    if (clusterLabel[c] === -1 && clusterLabel[parent]! >= 0) {
      clusterLabel[c] = clusterLabel[parent]!;
      membershipScale[c] = membershipScale[parent]!;
    }
  }

  return {
    n,
    minSamples,
    coreDistances,
    pointCluster,
    pointLambda,
    clusterParent: table.parent,
    clusterBirth: table.birth,
    clusterLabel,
    membershipScale,
    outlierScale,
  };
}
