import type { CondensedTree } from "../types.ts";
import type { LinkageTree } from "./single_linkage.ts";

/**
 * Condenses a single-linkage tree of `n` points for `minClusterSize`, as the
 * reference library does. It walks the merges from the top in breadth-first
 * order. A split into two sides of at least `minClusterSize` points each
 * creates two new clusters. Otherwise the points of each smaller side fall
 * out of the cluster at lambda = 1 / distance, and a side that is big enough
 * continues as the same cluster. Clusters are numbered from n (the root) in
 * the order they are created, so a parent's id is below its children's.
 *
 * Exception for exact duplicates: a split at distance 0 (lambda Infinity)
 * never creates clusters, and all its points fall out at lambda Infinity.
 * Both sides of such a split are identical points, so the reference
 * library's two clusters there would be born and die at the same lambda, get
 * stability Infinity - Infinity = NaN, and split identical rows across
 * labels.
 */
export function condenseTree(
  linkage: LinkageTree,
  n: number,
  minClusterSize: number,
): CondensedTree {
  const output = new TreeBuilder(n + 2 * linkage.size.length);
  if (n < 2) return output.build();

  const root = 2 * n - 2;
  const sizeOf = (node: number) => node < n ? 1 : linkage.size[node - n]!;
  const relabel = new Int32Array(2 * n - 1);
  const ignored = new Uint8Array(2 * n - 1);
  const queue = new Int32Array(2 * n - 1);
  const fallingOut = new Int32Array(2 * n - 1);
  relabel[root] = n;
  let nextLabel = n + 1;

  // Breadth-first over the merges, with `queue` as the visiting order.
  queue[0] = root;
  for (let head = 0, tail = 1; head < tail; head++) {
    const node = queue[head]!;
    if (node < n) continue;
    queue[tail++] = linkage.left[node - n]!;
    queue[tail++] = linkage.right[node - n]!;
    if (ignored[node]) continue;

    const left = linkage.left[node - n]!;
    const right = linkage.right[node - n]!;
    const distance = linkage.distance[node - n]!;
    const lambda = distance > 0 ? 1 / distance : Infinity;
    const cluster = relabel[node]!;
    const leftBig = sizeOf(left) >= minClusterSize;
    const rightBig = sizeOf(right) >= minClusterSize;

    // Two big sides at a positive distance: two new clusters.
    if (leftBig && rightBig && distance > 0) {
      relabel[left] = nextLabel++;
      output.push(cluster, relabel[left]!, lambda, sizeOf(left));
      relabel[right] = nextLabel++;
      output.push(cluster, relabel[right]!, lambda, sizeOf(right));
      continue;
    }

    // Otherwise each small side falls out, and a big side stays this cluster.
    const keep = distance > 0;
    for (const [side, big] of [[left, leftBig], [right, rightBig]] as const) {
      if (big && keep) {
        relabel[side] = cluster;
        continue;
      }
      const count = collectSubtree(linkage, n, side, fallingOut);
      for (let i = 0; i < count; i++) {
        const sub = fallingOut[i]!;
        ignored[sub] = 1;
        if (sub < n) output.push(cluster, sub, lambda, 1);
      }
    }
  }
  return output.build();
}

/** Writes the nodes under `top`, itself included, in breadth-first order and returns their count. */
function collectSubtree(
  linkage: LinkageTree,
  n: number,
  top: number,
  out: Int32Array,
): number {
  out[0] = top;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const node = out[head]!;
    if (node < n) continue;
    out[tail++] = linkage.left[node - n]!;
    out[tail++] = linkage.right[node - n]!;
  }
  return tail;
}

/** Growing parallel arrays of condensed-tree edges. */
class TreeBuilder {
  readonly parent: Int32Array;
  readonly child: Int32Array;
  readonly lambda: Float64Array;
  readonly childSize: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.parent = new Int32Array(capacity);
    this.child = new Int32Array(capacity);
    this.lambda = new Float64Array(capacity);
    this.childSize = new Int32Array(capacity);
  }

  push(parent: number, child: number, lambda: number, childSize: number): void {
    this.parent[this.size] = parent;
    this.child[this.size] = child;
    this.lambda[this.size] = lambda;
    this.childSize[this.size] = childSize;
    this.size++;
  }

  build(): CondensedTree {
    return {
      parent: this.parent.slice(0, this.size),
      child: this.child.slice(0, this.size),
      lambda: this.lambda.slice(0, this.size),
      childSize: this.childSize.slice(0, this.size),
    };
  }
}
