import type { CondensedTree } from "../types.ts";

/**
 * The clusters of a condensed tree, indexed by cluster id minus n (so the
 * root, id n, is index 0), with what selection and scoring need.
 */
export interface ClusterTable {
  /** Number of points; cluster ids start here. */
  readonly n: number;
  readonly count: number;
  /** Parent cluster index of each cluster, -1 for the root. */
  readonly parent: Int32Array;
  /** Lambda at which each cluster split off its parent, 0 for the root. */
  readonly birth: Float64Array;
  /** Size of each cluster. The root counts every point. */
  readonly size: Int32Array;
  /** Child clusters of cluster c are `children[childStart[c]..childStart[c + 1])`, ascending. */
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** Excess of mass: the sum over child edges of (lambda - birth) x child size. */
  readonly stability: Float64Array;
}

/** Collects the clusters of `tree`, a condensed tree over `n` points. */
export function tabulateClusters(tree: CondensedTree, n: number): ClusterTable {
  const edges = tree.parent.length;
  let count = 1;
  for (let e = 0; e < edges; e++) {
    count = Math.max(count, tree.parent[e]! - n + 1);
  }

  // Parents, births and sizes from the cluster edges (child size > 1).
  const parent = new Int32Array(count).fill(-1);
  const birth = new Float64Array(count);
  const size = new Int32Array(count);
  size[0] = n;
  const childCount = new Int32Array(count + 1);
  for (let e = 0; e < edges; e++) {
    if (tree.childSize[e]! <= 1) continue;
    const child = tree.child[e]! - n;
    parent[child] = tree.parent[e]! - n;
    birth[child] = tree.lambda[e]!;
    size[child] = tree.childSize[e]!;
    childCount[parent[child]! + 1]!++;
  }

  // Child lists. Cluster ids grow in creation order, so a scan in id order fills each list ascending.
  const childStart = new Int32Array(count + 1);
  for (let c = 0; c < count; c++) {
    childStart[c + 1] = childStart[c]! + childCount[c + 1]!;
  }
  const children = new Int32Array(Math.max(0, count - 1));
  const fill = childStart.slice(0, count);
  for (let c = 1; c < count; c++) children[fill[parent[c]!]!++] = c;

  // Stability of each cluster over all its child edges, points and clusters alike.
  const stability = new Float64Array(count);
  for (let e = 0; e < edges; e++) {
    const c = tree.parent[e]! - n;
    stability[c] = stability[c]! +
      (tree.lambda[e]! - birth[c]!) * tree.childSize[e]!;
  }
  return { n, count, parent, birth, size, childStart, children, stability };
}

/** Largest lambda over the edges leaving each cluster directly, finite ones only. */
export function maxFiniteChildLambda(
  tree: CondensedTree,
  table: ClusterTable,
): Float64Array {
  const result = new Float64Array(table.count);
  for (let e = 0; e < tree.parent.length; e++) {
    const lambda = tree.lambda[e]!;
    const c = tree.parent[e]! - table.n;
    if (Number.isFinite(lambda) && lambda > result[c]!) result[c] = lambda;
  }
  return result;
}
