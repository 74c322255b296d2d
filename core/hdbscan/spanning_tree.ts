/**
 * Exact minimum spanning tree of the mutual-reachability graph, where the
 * weight of an edge is max(core(a), core(b), d(a, b)).
 *
 * Borůvka rounds: each round, every component finds its lightest edge to
 * another component, and all of them join the tree. A round starts from the
 * edges of a k-nearest-neighbour graph. A component's lightest graph edge
 * is its lightest edge of all when, for each of its points, the edges to
 * rows outside the point's list weigh more. Such a row is no nearer than
 * the point's k-th neighbour, and the edge weighs at least the point's core
 * distance too. Early rounds, whose edges join near neighbours, are mostly
 * settled that way. The other components (most often in late rounds, when
 * the lightest edge spans a gap between clusters) search the cell index of
 * the neighbour search, cell pair by cell pair from the nearest pair on.
 * That search skips
 *
 * - pairs of cells that the triangle inequality or the cells' smallest core
 *   distances prove too heavy for every component they hold,
 * - points whose core distance, or whose k-th neighbour, is already
 *   farther than their component's best edge,
 * - cells whose rows all belong to the searching point's component, and
 *   rows that the triangle inequality proves too far, and
 * - distance sums as soon as they pass the best weight.
 *
 * Edges are compared by (weight, lower row index, higher row index), a strict
 * total order, so the tree is the unique minimum under that order: the same
 * input always gives the same tree, and ties never create cycles. Any
 * minimum spanning tree has the same sorted weights.
 *
 * The proof above needs the true k nearest neighbours, listed with ties in
 * ascending row order as `exactKnn` lists them. With an approximate graph,
 * an edge to a missed neighbour can be lighter than the proof assumes, and
 * the tree is then a close approximation of the minimum.
 *
 * Memory is O(n k + cells^2) beyond the index. Time depends on the data.
 * With cluster structure the bounds skip most pairs, but when every point is
 * about as far from every other, the search approaches the n^2 / 2 distance
 * evaluations of Prim's algorithm.
 */

import { metricDistance, squaredFromMetric } from "../distance.ts";
import type { CellIndex } from "../knn/cells.ts";
import type { KnnGraph, Metric, ProgressCallback } from "../types.ts";
import { ComponentSearch } from "./component_search.ts";
import type { GraphForest } from "./graph_forest.ts";

/** Edges of a spanning tree in input row indices, in the order of {@link EdgeList.sorted}. */
export interface SpanningTree {
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Mutual-reachability distance, in the units of the metric. */
  readonly weight: Float64Array;
}

/**
 * Builds the minimum spanning tree of mutual reachability over the rows of
 * `index`, with `coreDistances` in input row order and metric units. `knn`
 * lists neighbours of the same rows by the same metric; the tree is exact
 * when it is exact (see the module notes). A `forest` of edges already
 * chosen (see `graph_forest.ts`) is kept, and the search only joins its
 * components.
 */
export function mutualReachabilityTree(
  index: CellIndex,
  coreDistances: Float64Array,
  metric: Metric,
  knn: KnnGraph,
  onProgress?: ProgressCallback,
  forest?: GraphForest,
): SpanningTree {
  const { n, rowOf } = index;
  const search = new ComponentSearch(index, coreDistances, metric, knn);
  const edges = new EdgeList(Math.max(0, n - 1));
  const addEdge = (from: number, to: number, key: number) =>
    edges.push(rowOf[from]!, rowOf[to]!, key);
  let components = n;
  if (forest !== undefined) {
    for (let e = 0; e < forest.from.length; e++) {
      search.joinRows(forest.from[e]!, forest.to[e]!);
      edges.push(
        forest.from[e]!,
        forest.to[e]!,
        squaredFromMetric(metric, forest.weight[e]!),
      );
    }
    search.refreshComponents();
    components = forest.components;
  }

  while (components > 1) {
    search.findLightestEdges();
    const merges = search.joinComponents(addEdge);
    if (merges === 0) {
      throw new Error(
        `Spanning tree search found no edge between ${components} components`,
      );
    }
    components -= merges;
    onProgress?.((n - components) / (n - 1), "spanning tree");
  }
  onProgress?.(1, "spanning tree");
  return edges.sorted((key) => metricDistance(metric, key));
}

/** Returns a complete spanning forest (one component) as a sorted {@link SpanningTree}. */
export function treeFromForest(forest: GraphForest): SpanningTree {
  const edges = new EdgeList(forest.from.length);
  for (let e = 0; e < forest.from.length; e++) {
    edges.push(forest.from[e]!, forest.to[e]!, forest.weight[e]!);
  }
  return edges.sorted((weight) => weight);
}

/** Growing edge list of a spanning tree, kept as sort keys (squared mapped weights, or weights) until sorted. */
class EdgeList {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly key: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.key = new Float64Array(capacity);
  }

  push(from: number, to: number, key: number): void {
    this.from[this.size] = from;
    this.to[this.size] = to;
    this.key[this.size] = key;
    this.size++;
  }

  /**
   * Returns the edges sorted by ascending weight, equal weights by descending
   * higher row, then descending lower row, with keys turned into weights in
   * metric units by `toWeight`. This order is the merge order of the
   * single-linkage tree (see `single_linkage.ts`).
   */
  sorted(toWeight: (key: number) => number): SpanningTree {
    const count = this.size;
    const order = new Int32Array(count);
    for (let e = 0; e < count; e++) order[e] = e;
    const low = (e: number) => Math.min(this.from[e]!, this.to[e]!);
    const high = (e: number) => Math.max(this.from[e]!, this.to[e]!);
    order.sort((a, b) =>
      this.key[a]! - this.key[b]! || high(b) - high(a) || low(b) - low(a)
    );

    const from = new Int32Array(count);
    const to = new Int32Array(count);
    const weight = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const e = order[i]!;
      from[i] = this.from[e]!;
      to[i] = this.to[e]!;
      weight[i] = toWeight(this.key[e]!);
    }
    return { from, to, weight };
  }
}
