/**
 * Exact minimum spanning tree of the mutual-reachability graph, where the
 * weight of an edge is max(core(a), core(b), d(a, b)).
 *
 * Borůvka rounds over the cell index of the neighbour search: each round,
 * every component finds its lightest edge to another component, and all of
 * them join the tree. A point's search skips
 *
 * - itself entirely when its own core distance already exceeds the
 *   component's best weight (every edge of the point weighs at least that),
 * - cells whose rows all belong to its component,
 * - cells and rows that the triangle inequality or the cells' smallest core
 *   distance prove too heavy, and
 * - distance sums as soon as they pass the best weight.
 *
 * Edges are compared by (weight, lower row index, higher row index), a strict
 * total order, so the tree is the unique minimum under that order: the same
 * input always gives the same tree, and ties never create cycles. Any
 * minimum spanning tree has the same sorted weights.
 *
 * Memory is O(n) beyond the index. Time depends on the data. With cluster
 * structure the bounds skip most pairs, but when every point is about as
 * far from every other, the search approaches the n^2 / 2 distance
 * evaluations of Prim's algorithm.
 */

import {
  metricDistance,
  squaredDistanceAt,
  squaredFromMetric,
} from "../distance.ts";
import {
  BOUND_SLACK,
  type CellIndex,
  firstAbove,
  firstAtLeast,
} from "../knn/cells.ts";
import type { Metric, ProgressCallback } from "../types.ts";

/** Edges of a spanning tree in input row indices, in the order of {@link EdgeList.sorted}. */
export interface SpanningTree {
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Mutual-reachability distance, in the units of the metric. */
  readonly weight: Float64Array;
}

/** Points between two progress reports. */
const PROGRESS_INTERVAL = 1024;

/**
 * Builds the minimum spanning tree of mutual reachability over the rows of
 * `index`, with `coreDistances` in input row order and metric units.
 */
export function mutualReachabilityTree(
  index: CellIndex,
  coreDistances: Float64Array,
  metric: Metric,
  onProgress?: ProgressCallback,
): SpanningTree {
  const { n } = index;
  const search = new ComponentSearch(index, coreDistances, metric);
  const edges = new EdgeList(Math.max(0, n - 1));

  for (let components = n; components > 1;) {
    const startFraction = (n - components) / Math.max(1, n - 1);
    const report = (done: number) =>
      onProgress?.(
        startFraction + (done / n) * (components / 2 / (n - 1)),
        "spanning tree",
      );
    search.findLightestEdges(report);
    const merges = search.joinComponents(edges);
    if (merges === 0) {
      throw new Error(
        `Spanning tree search found no edge between ${components} components`,
      );
    }
    components -= merges;
  }
  onProgress?.(1, "spanning tree");
  return edges.sorted(metric);
}

/** Borůvka state: components over positions of the index, and each one's best edge. */
class ComponentSearch {
  readonly index: CellIndex;
  /** Core distance per position, as a squared mapped distance. */
  readonly coreKey: Float64Array;
  /** Positions in ascending core distance, ties by position. */
  readonly byCore: Int32Array;
  readonly cellOf: Int32Array;
  readonly minCoreKey: Float64Array;
  readonly minRow: Int32Array;
  /** Distances between centres, row-major `cellCount x cellCount`. */
  readonly centreGap: Float64Array;
  /** For each cell, all cells by ascending centre distance from it, row-major. */
  readonly cellOrder: Int32Array;

  /** Union-find parent of each position. Roots name the components. */
  readonly parent: Int32Array;
  /** Component root of each position, refreshed once per round. */
  readonly component: Int32Array;
  /** The component whose rows fill each cell, or -1 for a mixed cell. */
  readonly cellComponent: Int32Array;

  /** Best edge per component root: squared weight, its row order keys and positions. */
  readonly bestKey: Float64Array;
  readonly bestLow: Int32Array;
  readonly bestHigh: Int32Array;
  readonly bestFrom: Int32Array;
  readonly bestTo: Int32Array;

  constructor(index: CellIndex, coreDistances: Float64Array, metric: Metric) {
    const { n, cellCount, cellStart, rowOf } = index;
    this.index = index;

    // Per-position core keys and the core-ascending visiting order.
    this.coreKey = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      this.coreKey[p] = squaredFromMetric(metric, coreDistances[rowOf[p]!]!);
    }
    this.byCore = new Int32Array(n);
    for (let p = 0; p < n; p++) this.byCore[p] = p;
    this.byCore.sort((a, b) => this.coreKey[a]! - this.coreKey[b]! || a - b);

    // Per-cell bounds: smallest core key and smallest input row.
    this.cellOf = new Int32Array(n);
    this.minCoreKey = new Float64Array(cellCount).fill(Infinity);
    this.minRow = new Int32Array(cellCount).fill(n);
    for (let c = 0; c < cellCount; c++) {
      for (let p = cellStart[c]!; p < cellStart[c + 1]!; p++) {
        this.cellOf[p] = c;
        this.minCoreKey[c] = Math.min(this.minCoreKey[c]!, this.coreKey[p]!);
        this.minRow[c] = Math.min(this.minRow[c]!, rowOf[p]!);
      }
    }
    this.centreGap = centreGaps(index);
    this.cellOrder = cellOrders(this.centreGap, cellCount);

    this.parent = new Int32Array(n);
    for (let p = 0; p < n; p++) this.parent[p] = p;
    this.component = this.parent.slice();
    this.cellComponent = new Int32Array(cellCount);
    this.refreshCellComponents();

    this.bestKey = new Float64Array(n);
    this.bestLow = new Int32Array(n);
    this.bestHigh = new Int32Array(n);
    this.bestFrom = new Int32Array(n);
    this.bestTo = new Int32Array(n);
  }

  /** Runs one Borůvka search for the lightest outgoing edge of every component. */
  findLightestEdges(report: (done: number) => void): void {
    const { n } = this.index;
    this.bestKey.fill(Infinity);
    this.bestFrom.fill(-1);
    for (let done = 0; done < n; done++) {
      const p = this.byCore[done]!;
      // No edge of p can beat its component's best once p's core distance does not.
      if (this.coreKey[p]! <= this.bestKey[this.component[p]!]!) {
        this.searchFrom(p);
      }
      if (done % PROGRESS_INTERVAL === 0) report(done);
    }
  }

  /** Offers every edge from position `p` that may beat its component's best. */
  searchFrom(p: number): void {
    const {
      data,
      dim,
      centres,
      cellCount,
      cellStart,
      radius,
      centreDistance,
      rowOf,
    } = this.index;
    const { coreKey, component, bestKey } = this;
    const own = component[p]!;
    const ownCell = this.cellOf[p]!;
    const pCore = coreKey[p]!;
    const pRow = rowOf[p]!;
    const pCentre = centreDistance[p]!;
    let bestDistance = Math.sqrt(bestKey[own]!);

    for (let o = 0; o < cellCount; o++) {
      const cell = this.cellOrder[ownCell * cellCount + o]!;
      if (this.cellComponent[cell] === own) continue;
      if (
        !this.cellMayImprove(
          own,
          Math.max(pCore, this.minCoreKey[cell]!),
          pRow,
          cell,
        )
      ) continue;

      // Cheap bound through p's own centre, then the exact one through the cell's.
      const cellRadius = radius[cell]!;
      const gap = this.centreGap[ownCell * cellCount + cell]!;
      const slack = BOUND_SLACK * (gap + pCentre + cellRadius);
      if (gap - pCentre - cellRadius - slack > bestDistance) continue;
      const toCentre = Math.sqrt(
        squaredDistanceAt(data, p * dim, centres, cell * dim, dim, Infinity),
      );
      const cellSlack = BOUND_SLACK * (toCentre + cellRadius);
      if (toCentre - cellRadius - cellSlack > bestDistance) continue;

      // Rows whose centre distance the annulus bound admits form one range.
      const first = cellStart[cell]!;
      const last = cellStart[cell + 1]!;
      const start = firstAtLeast(
        centreDistance,
        first,
        last,
        toCentre - bestDistance - cellSlack,
      );
      const end = firstAbove(
        centreDistance,
        start,
        last,
        toCentre + bestDistance + cellSlack,
      );
      for (let q = start; q < end; q++) {
        if (component[q] === own) continue;
        const lower = Math.max(pCore, coreKey[q]!);
        const qRow = rowOf[q]!;
        if (
          !this.edgeMayImprove(
            own,
            lower,
            Math.min(pRow, qRow),
            Math.max(pRow, qRow),
          )
        ) continue;
        const qCentre = centreDistance[q]!;
        const rowBound = Math.abs(toCentre - qCentre) -
          BOUND_SLACK * (toCentre + qCentre);
        if (rowBound > bestDistance) continue;

        const squared = squaredDistanceAt(
          data,
          p * dim,
          data,
          q * dim,
          dim,
          bestKey[own]!,
        );
        if (squared > bestKey[own]!) continue;
        if (this.offer(own, Math.max(lower, squared), p, q)) {
          bestDistance = Math.sqrt(bestKey[own]!);
        }
      }
    }
  }

  /**
   * Returns whether an edge from row `row` into `cell` with squared weight >=
   * `lowerKey` may still beat the best edge of component `own`. On a tie in
   * weight, the row keys are bounded through the cell's smallest row.
   */
  cellMayImprove(
    own: number,
    lowerKey: number,
    row: number,
    cell: number,
  ): boolean {
    const other = this.minRow[cell]!;
    return this.edgeMayImprove(
      own,
      lowerKey,
      Math.min(row, other),
      Math.max(row, other),
    );
  }

  /**
   * Returns whether an edge with squared weight >= `lowerKey` and row keys
   * (`low`, `high`), or bounds on them, may still beat component `own`'s best.
   */
  edgeMayImprove(
    own: number,
    lowerKey: number,
    low: number,
    high: number,
  ): boolean {
    const best = this.bestKey[own]!;
    if (lowerKey !== best) return lowerKey < best;
    const bestLow = this.bestLow[own]!;
    return low < bestLow || (low === bestLow && high < this.bestHigh[own]!);
  }

  /** Records edge (p, q) for component `own` if it beats the best, and returns whether it did. */
  offer(own: number, key: number, p: number, q: number): boolean {
    const { rowOf } = this.index;
    const low = Math.min(rowOf[p]!, rowOf[q]!);
    const high = Math.max(rowOf[p]!, rowOf[q]!);
    const best = this.bestKey[own]!;
    const better = key < best ||
      (key === best &&
        (low < this.bestLow[own]! ||
          (low === this.bestLow[own]! && high < this.bestHigh[own]!)));
    if (!better) return false;
    this.bestKey[own] = key;
    this.bestLow[own] = low;
    this.bestHigh[own] = high;
    this.bestFrom[own] = p;
    this.bestTo[own] = q;
    return true;
  }

  /** Adds every component's best edge to `edges` and returns the number of merges. */
  joinComponents(edges: EdgeList): number {
    const { n, rowOf } = this.index;
    let merges = 0;
    for (let root = 0; root < n; root++) {
      if (this.component[root] !== root || this.bestFrom[root]! < 0) continue;
      const from = this.bestFrom[root]!;
      const to = this.bestTo[root]!;
      const a = this.find(from);
      const b = this.find(to);
      // Two components may pick the same edge, and it joins them only once.
      if (a === b) continue;
      if (a < b) this.parent[b] = a;
      else this.parent[a] = b;
      edges.push(rowOf[from]!, rowOf[to]!, this.bestKey[root]!);
      merges++;
    }
    for (let p = 0; p < n; p++) this.component[p] = this.find(p);
    this.refreshCellComponents();
    return merges;
  }

  find(position: number): number {
    let p = position;
    while (this.parent[p] !== p) {
      const grandparent = this.parent[this.parent[p]!]!;
      this.parent[p] = grandparent;
      p = grandparent;
    }
    return p;
  }

  refreshCellComponents(): void {
    const { cellCount, cellStart } = this.index;
    for (let c = 0; c < cellCount; c++) {
      const first = cellStart[c]!;
      const last = cellStart[c + 1]!;
      let shared = first < last ? this.component[first]! : -1;
      for (let p = first + 1; p < last && shared >= 0; p++) {
        if (this.component[p] !== shared) shared = -1;
      }
      this.cellComponent[c] = shared;
    }
  }
}

/** Growing edge list of a spanning tree, kept as squared mapped weights until sorted. */
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
   * higher row, then descending lower row, with weights in metric units. This order is
   * the merge order of the single-linkage tree (see `single_linkage.ts`).
   */
  sorted(metric: Metric): SpanningTree {
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
      weight[i] = metricDistance(metric, this.key[e]!);
    }
    return { from, to, weight };
  }
}

/** Euclidean distances between all pairs of centres, row-major. */
function centreGaps(index: CellIndex): Float64Array {
  const { centres, dim, cellCount } = index;
  const gaps = new Float64Array(cellCount * cellCount);
  for (let a = 0; a < cellCount; a++) {
    for (let b = 0; b < cellCount; b++) {
      gaps[a * cellCount + b] = Math.sqrt(
        squaredDistanceAt(centres, a * dim, centres, b * dim, dim, Infinity),
      );
    }
  }
  return gaps;
}

/** For each cell, all cells sorted by centre distance from it (itself first), row-major. */
function cellOrders(gaps: Float64Array, cellCount: number): Int32Array {
  const orders = new Int32Array(cellCount * cellCount);
  const row = new Int32Array(cellCount);
  for (let a = 0; a < cellCount; a++) {
    for (let b = 0; b < cellCount; b++) row[b] = b;
    row.sort((x, y) =>
      (x === a ? -1 : gaps[a * cellCount + x]!) -
        (y === a ? -1 : gaps[a * cellCount + y]!) ||
      x - y
    );
    orders.set(row, a * cellCount);
  }
  return orders;
}
