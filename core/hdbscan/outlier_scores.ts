import type { CondensedTree } from "../types.ts";
import { type ClusterTable, maxFiniteChildLambda } from "./clusters.ts";

/**
 * Computes the GLOSH outlier score of every point, 1 - lambda / lambda_max.
 * Here lambda is where the point falls out of the condensed tree, and
 * lambda_max is the largest finite lambda of the edges leaving the cluster it
 * falls out of. Scores lie in [0, 1]; points at lambda Infinity
 * (exact duplicates) score 0, and so do all points of a cluster whose edges
 * all have lambda Infinity.
 *
 * NOTE: GLOSH as published takes lambda_max over the cluster's whole
 * subtree. The reference library hdbscan 0.8.40 means to, but its loop that
 * carries maxima up the tree stops at the first point edge it meets, so in
 * practice it uses the cluster's own edges, as here; its published scores
 * match these to the 7 digits they were written with. Switch to the subtree
 * maximum by folding each cluster's value into its parent's, children first.
 */
export function outlierScores(
  tree: CondensedTree,
  table: ClusterTable,
): Float64Array {
  const { n } = table;
  const scores = new Float64Array(n);
  const maxLambda = maxFiniteChildLambda(tree, table);

  for (let e = 0; e < tree.parent.length; e++) {
    const point = tree.child[e]!;
    if (point >= n) continue;
    const lambda = tree.lambda[e]!;
    const max = maxLambda[tree.parent[e]! - n]!;
    scores[point] = lambda === Infinity || max === 0 ? 0 : (max - lambda) / max;
  }
  return scores;
}
