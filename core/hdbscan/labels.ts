import type { CondensedTree } from "../types.ts";
import { type ClusterTable, maxFiniteChildLambda } from "./clusters.ts";
import type { ResolvedOptions } from "./options.ts";

/** Flat labels and membership probabilities of every point. */
export interface Membership {
  readonly labels: Int32Array;
  readonly probabilities: Float64Array;
}

/**
 * Labels each point with its nearest selected ancestor cluster, numbered
 * 0.. in ascending cluster id, or -1 (noise) when no ancestor is selected.
 *
 * When the root is the one selected cluster (allowSingleCluster), only the
 * points that fall out of the tree at a lambda of at least the largest lambda
 * of any edge leaving the root get its label, as in the reference library.
 * With epsilon > 0 the condition is a distance of at most epsilon instead.
 * The other points are noise.
 *
 * A member's probability is its lambda, capped at the largest finite lambda
 * of the edges leaving its cluster directly, divided by that largest lambda.
 * It is 1 at the cluster's densest level, and points that fall out at lambda
 * Infinity (exact duplicates) get 1.
 *
 * NOTE: the reference library divides by the largest lambda including
 * Infinity, which gives every non-duplicate member of a cluster with
 * duplicates probability 0. Without duplicates the two agree.
 */
export function assignMembership(
  tree: CondensedTree,
  table: ClusterTable,
  selected: Int32Array,
  options: ResolvedOptions,
): Membership {
  const { n, count } = table;
  const labels = new Int32Array(n).fill(-1);
  const probabilities = new Float64Array(n);

  // The label owned by each cluster: its own if selected, else its parent's.
  const labelOf = new Int32Array(count).fill(-1);
  selected.forEach((cluster, label) => labelOf[cluster] = label);
  for (let c = 1; c < count; c++) {
    if (labelOf[c] === -1) labelOf[c] = labelOf[table.parent[c]!]!;
  }

  // Only a lone selected root labels its points, and only by a lambda threshold.
  const loneRoot = selected.length === 1 && selected[0] === 0 &&
    options.allowSingleCluster;
  const rootThreshold = loneRoot
    ? rootLabelThreshold(tree, table, options.epsilon)
    : 0;

  const cap = maxFiniteChildLambda(tree, table);
  for (let e = 0; e < tree.parent.length; e++) {
    const point = tree.child[e]!;
    if (point >= n) continue;
    const cluster = tree.parent[e]! - n;
    const label = labelOf[cluster]!;
    if (label === -1) continue;
    const lambda = tree.lambda[e]!;

    const owner = selected[label]!;
    if (owner === 0 && (!loneRoot || lambda < rootThreshold)) continue;

    labels[point] = label;
    const maxLambda = cap[owner]!;
    probabilities[point] = maxLambda === 0 || lambda === Infinity
      ? 1
      : Math.min(lambda, maxLambda) / maxLambda;
  }
  return { labels, probabilities };
}

/** Returns the lambda a point needs to join a lone selected root, see {@link assignMembership}. */
function rootLabelThreshold(
  tree: CondensedTree,
  table: ClusterTable,
  epsilon: number,
): number {
  if (epsilon !== 0) return 1 / epsilon;
  let max = -Infinity;
  for (let e = 0; e < tree.parent.length; e++) {
    if (tree.parent[e] === table.n && tree.lambda[e]! > max) {
      max = tree.lambda[e]!;
    }
  }
  return max;
}
