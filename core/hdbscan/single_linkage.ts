import type { SpanningTree } from "./spanning_tree.ts";

/**
 * Single-linkage tree in the format of scipy.cluster.hierarchy: row `i`
 * merges nodes `left[i]` and `right[i]` at `distance[i]` into node `n + i`
 * of `size[i]` points. Nodes below n are points.
 */
export interface LinkageTree {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly distance: Float64Array;
  readonly size: Int32Array;
}

/**
 * Builds the single-linkage tree of `n` points from a spanning tree whose
 * edges are sorted by ascending weight, merging in edge order with
 * union-find.
 *
 * Edges of equal weight merge at the same distance, but a binary tree must
 * still order them, and the order can shape the condensed tree. Two small
 * groups merged first can form a side of min_cluster_size points that splits
 * off as a cluster, which matters most for leaf selection. The spanning
 * tree puts equal weights in descending row order, a fixed convention. The
 * reference library orders them with an unstable sort, so no fixed order
 * reproduces it; on the reference data sets this one agrees with it best,
 * and its own algorithms disagree with each other on the same cases.
 */
export function singleLinkage(tree: SpanningTree, n: number): LinkageTree {
  const rows = tree.weight.length;
  const left = new Int32Array(rows);
  const right = new Int32Array(rows);
  const size = new Int32Array(rows);
  const distance = Float64Array.from(tree.weight);

  // parent[x] is x's union-find parent. Merge nodes n.. are added as created.
  const parent = new Int32Array(Math.max(0, 2 * n - 1));
  for (let node = 0; node < parent.length; node++) parent[node] = node;
  const find = (node: number): number => {
    let x = node;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const sizeOf = (root: number) => root < n ? 1 : size[root - n]!;

  for (let row = 0; row < rows; row++) {
    const a = find(tree.from[row]!);
    const b = find(tree.to[row]!);
    left[row] = a;
    right[row] = b;
    size[row] = sizeOf(a) + sizeOf(b);
    parent[a] = n + row;
    parent[b] = n + row;
  }
  return { left, right, distance, size };
}
