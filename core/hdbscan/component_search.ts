/**
 * The state of one Borůvka run over mutual reachability (see
 * `spanning_tree.ts`). It keeps the components over the positions of a cell
 * index and each component's lightest outgoing edge in the current round.
 * It offers the candidate edges of a neighbour graph, and it searches cell
 * pairs for the components whose lightest edge the graph cannot prove.
 *
 * Edge weights are kept as squared mapped distances ("keys"), the units of
 * the cell index, and compared by (key, lower row, higher row).
 */

import { squaredDistanceAt, squaredFromMetric } from "../distance.ts";
import {
  BOUND_SLACK,
  type CellIndex,
  firstAbove,
  firstAtLeast,
} from "../knn/cells.ts";
import type { KnnGraph, Metric } from "../types.ts";

/** Receives each edge that joins two components: positions and squared weight. */
export type EdgeSink = (from: number, to: number, key: number) => void;

/** Borůvka state: components over positions of the index, and each one's best edge. */
export class ComponentSearch {
  readonly index: CellIndex;
  /** Core distance per position, as a squared mapped distance. */
  readonly coreKey: Float64Array;
  readonly cellOf: Int32Array;
  /** Smallest core key and smallest input row of each cell. */
  readonly minCoreKey: Float64Array;
  readonly minRow: Int32Array;
  /** Distances between centres, row-major `cellCount x cellCount`. */
  readonly centreGap: Float64Array;

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
  /** 1 for a component root whose best edge the graph proves lightest this round. */
  readonly settled: Uint8Array;

  /** Neighbour graph by position, `n x k`: neighbour positions (-1 for none) and keys. */
  readonly graphTo: Int32Array;
  readonly graphKey: Float64Array;
  readonly graphK: number;
  /**
   * Per position, the smallest an edge to a row outside its neighbour list
   * can be: key and row order keys. A low of -1 stands for any row order, so
   * an edge of equal weight is not excluded.
   */
  readonly outsideKey: Float64Array;
  readonly outsideLow: Int32Array;
  readonly outsideHigh: Int32Array;

  /** Position of each input row in the index. */
  readonly positionOf: Int32Array;

  /** Cell pairs of a round's sweep: lower bound on their keys, and the pair as `a * cellCount + b`. */
  readonly pairBound: Float64Array;
  readonly pairCode: Int32Array;
  readonly pairOrder: Int32Array;

  constructor(
    index: CellIndex,
    coreDistances: Float64Array,
    metric: Metric,
    knn: KnnGraph,
  ) {
    const { n, cellCount, cellStart, rowOf } = index;
    this.index = index;

    this.coreKey = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      this.coreKey[p] = squaredFromMetric(metric, coreDistances[rowOf[p]!]!);
    }

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
    this.settled = new Uint8Array(n);

    this.positionOf = new Int32Array(n);
    for (let p = 0; p < n; p++) this.positionOf[rowOf[p]!] = p;

    this.graphK = knn.k;
    this.graphTo = new Int32Array(n * knn.k);
    this.graphKey = new Float64Array(n * knn.k);
    this.outsideKey = new Float64Array(n);
    this.outsideLow = new Int32Array(n);
    this.outsideHigh = new Int32Array(n);
    this.readGraph(knn);

    const pairs = (cellCount * (cellCount + 1)) / 2;
    this.pairBound = new Float64Array(pairs);
    this.pairCode = new Int32Array(pairs);
    this.pairOrder = new Int32Array(pairs);
  }

  /**
   * Takes the candidate edges of `knn` (input rows) into position order, with
   * keys from the same kernel as the search, and each point's bound on the
   * edges that its list does not contain.
   */
  readGraph(knn: KnnGraph): void {
    const { n, dim, data, rowOf } = this.index;
    const { positionOf } = this;
    const { k } = knn;

    for (let p = 0; p < n; p++) {
      const row = rowOf[p]!;
      let lastKey = -1;
      let lastRow = -1;
      for (let t = 0; t < k; t++) {
        const neighbour = knn.indices[row * k + t]!;
        const slot = p * k + t;
        if (neighbour < 0) {
          this.graphTo[slot] = -1;
          continue;
        }
        const q = positionOf[neighbour]!;
        this.graphTo[slot] = q;
        this.graphKey[slot] = squaredDistanceAt(
          data,
          p * dim,
          data,
          q * dim,
          dim,
          Infinity,
        );
        lastKey = this.graphKey[slot]!;
        lastRow = neighbour;
      }
      const full = k > 0 && knn.indices[row * k + k - 1]! >= 0;
      this.setOutsideBound(p, row, full ? lastKey : Infinity, lastRow);
    }
  }

  /**
   * Sets the bound on edges from position `p` (input row `row`) to rows that
   * its list misses. `lastKey` and `lastRow` are its last listed neighbour,
   * and a `lastKey` of Infinity means the list misses no row. An exact list
   * sorted by (key, row) misses only rows at a larger key, or at the same key
   * with a higher row than `lastRow`. The edge weighs at least p's core key
   * too, and when that is larger, rows of any order reach it.
   */
  setOutsideBound(
    p: number,
    row: number,
    lastKey: number,
    lastRow: number,
  ): void {
    const core = this.coreKey[p]!;
    this.outsideKey[p] = Math.max(core, lastKey);
    if (lastKey === Infinity || core > lastKey) {
      this.outsideLow[p] = -1;
      this.outsideHigh[p] = -1;
      return;
    }
    let first = lastRow + 1;
    if (first === row) first++;
    this.outsideLow[p] = Math.min(row, first);
    this.outsideHigh[p] = Math.max(row, first);
  }

  /** Finds the lightest outgoing edge of every component, see `spanning_tree.ts`. */
  findLightestEdges(): void {
    this.bestKey.fill(Infinity);
    this.bestLow.fill(this.index.n);
    this.bestHigh.fill(this.index.n);
    this.bestFrom.fill(-1);
    this.offerGraphEdges();
    if (this.settleComponents()) this.sweepCellPairs();
  }

  /** Offers every graph edge between two components to both. */
  offerGraphEdges(): void {
    const { graphTo, graphKey, graphK: k, coreKey, component } = this;
    const { n } = this.index;
    for (let p = 0; p < n; p++) {
      const own = component[p]!;
      const pCore = coreKey[p]!;
      for (let slot = p * k; slot < (p + 1) * k; slot++) {
        const q = graphTo[slot]!;
        if (q < 0) break;
        const other = component[q]!;
        if (other === own) continue;
        const key = Math.max(pCore, coreKey[q]!, graphKey[slot]!);
        this.offer(own, key, p, q);
        this.offer(other, key, q, p);
      }
    }
  }

  /**
   * Marks the components whose best graph edge beats the outside bound of
   * each of their points, and returns whether any component is left.
   */
  settleComponents(): boolean {
    const { n } = this.index;
    const { component } = this;
    this.settled.fill(0);
    for (let p = 0; p < n; p++) {
      if (component[p] === p) this.settled[p] = 1;
    }
    for (let p = 0; p < n; p++) {
      const own = component[p]!;
      if (this.settled[own] && this.outsideMayImprove(own, p)) {
        this.settled[own] = 0;
      }
    }
    for (let p = 0; p < n; p++) {
      if (component[p] === p && !this.settled[p]) return true;
    }
    return false;
  }

  /**
   * Returns whether an edge from position `p` to a row outside its neighbour
   * list might beat component `own`'s best.
   */
  outsideMayImprove(own: number, p: number): boolean {
    const key = this.outsideKey[p]!;
    if (key === Infinity) return false;
    const best = this.bestKey[own]!;
    if (key !== best) return key < best;
    const low = this.outsideLow[p]!;
    if (low < 0) return true;
    return this.edgeMayImprove(own, key, low, this.outsideHigh[p]!);
  }

  /**
   * Searches the cell pairs for edges the graph may have missed, nearest pairs
   * first: their edges make the unsettled components' bests small early, and
   * the lower bound of a pair then excludes most of the others whole.
   */
  sweepCellPairs(): void {
    const { cellCount, radius } = this.index;
    const { centreGap, minCoreKey, cellComponent } = this;

    // Lower bounds of every pair of cells that may hold a needed edge.
    const settledCells = new Uint8Array(cellCount);
    for (let c = 0; c < cellCount; c++) {
      settledCells[c] = this.cellIsSettled(c) ? 1 : 0;
    }
    let pairs = 0;
    for (let a = 0; a < cellCount; a++) {
      for (let b = a; b < cellCount; b++) {
        const shared = cellComponent[a]!;
        if (shared >= 0 && cellComponent[b] === shared) continue;
        if (settledCells[a] && settledCells[b]) continue;
        const gap = centreGap[a * cellCount + b]!;
        const reach = radius[a]! + radius[b]!;
        const lower = gap - reach - BOUND_SLACK * (gap + reach);
        const lowerKey = lower > 0 ? lower * lower : 0;
        this.pairBound[pairs] = Math.max(
          lowerKey,
          minCoreKey[a]!,
          minCoreKey[b]!,
        );
        this.pairCode[pairs] = a * cellCount + b;
        this.pairOrder[pairs] = pairs;
        pairs++;
      }
    }
    const order = this.pairOrder.subarray(0, pairs);
    order.sort((x, y) => this.pairBound[x]! - this.pairBound[y]! || x - y);

    for (let i = 0; i < pairs; i++) {
      const pair = order[i]!;
      const bound = this.pairBound[pair]!;
      const a = Math.floor(this.pairCode[pair]! / cellCount);
      const b = this.pairCode[pair]! - a * cellCount;
      const fromA = this.cellMayGain(a, bound);
      const fromB = a !== b && this.cellMayGain(b, bound);
      if (!fromA && !fromB) continue;
      if (fromA) this.searchCellPair(a, b);
      if (fromB) this.searchCellPair(b, a);
    }
  }

  /** Returns whether every component with points in `cell` is settled. */
  cellIsSettled(cell: number): boolean {
    const shared = this.cellComponent[cell]!;
    if (shared >= 0) return this.settled[shared] === 1;
    const { cellStart } = this.index;
    for (let p = cellStart[cell]!; p < cellStart[cell + 1]!; p++) {
      if (!this.settled[this.component[p]!]) return false;
    }
    return true;
  }

  /**
   * Returns whether an edge of key `bound` or more from a point of `cell`
   * might beat the best of an unsettled component of that point. Equal keys
   * count, because row order may break the tie either way.
   */
  cellMayGain(cell: number, bound: number): boolean {
    const shared = this.cellComponent[cell]!;
    if (shared >= 0) {
      return !this.settled[shared] && bound <= this.bestKey[shared]!;
    }
    const { cellStart } = this.index;
    for (let p = cellStart[cell]!; p < cellStart[cell + 1]!; p++) {
      const own = this.component[p]!;
      if (!this.settled[own] && bound <= this.bestKey[own]!) return true;
    }
    return false;
  }

  /** Offers the edges from points of cell `from` to rows of cell `to` that may beat a best. */
  searchCellPair(from: number, to: number): void {
    const { cellStart } = this.index;
    const { coreKey, component, bestKey } = this;
    const shared = this.cellComponent[to]!;
    for (let p = cellStart[from]!; p < cellStart[from + 1]!; p++) {
      const own = component[p]!;
      if (this.settled[own] || own === shared) continue;
      // Every edge of p weighs at least its core distance.
      if (coreKey[p]! > bestKey[own]!) continue;
      // Edges to p's listed neighbours were offered already.
      if (!this.outsideMayImprove(own, p)) continue;
      this.searchRows(p, to);
    }
  }

  /**
   * Offers every edge from position `p` into `cell` that may beat its
   * component's best, skipping rows by the triangle inequality.
   */
  searchRows(p: number, cell: number): void {
    const { data, dim, centres, cellStart, radius, centreDistance, rowOf } =
      this.index;
    const { coreKey, component, bestKey } = this;
    const own = component[p]!;
    const pCore = coreKey[p]!;
    const pRow = rowOf[p]!;
    if (
      !this.cellMayImprove(
        own,
        Math.max(pCore, this.minCoreKey[cell]!),
        pRow,
        cell,
      )
    ) return;

    // A cheap bound through p's centre, then the exact one through the cell's.
    const pCentre = centreDistance[p]!;
    const cellRadius = radius[cell]!;
    const gap = this.centreGap[this.cellOf[p]! * this.index.cellCount + cell]!;
    let bestDistance = Math.sqrt(bestKey[own]!);
    const slack = BOUND_SLACK * (gap + pCentre + cellRadius);
    if (gap - pCentre - cellRadius - slack > bestDistance) return;
    const toCentre = Math.sqrt(
      squaredDistanceAt(data, p * dim, centres, cell * dim, dim, Infinity),
    );
    const cellSlack = BOUND_SLACK * (toCentre + cellRadius);
    if (toCentre - cellRadius - cellSlack > bestDistance) return;

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
      const key = Math.max(lower, squared);
      this.offer(component[q]!, key, q, p);
      if (this.offer(own, key, p, q)) {
        bestDistance = Math.sqrt(bestKey[own]!);
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

  /** Puts input rows `a` and `b` into one component, for edges found elsewhere. */
  joinRows(a: number, b: number): void {
    const rootA = this.find(this.positionOf[a]!);
    const rootB = this.find(this.positionOf[b]!);
    if (rootA < rootB) this.parent[rootB] = rootA;
    else if (rootB < rootA) this.parent[rootA] = rootB;
  }

  /** Refreshes each position's component after {@link joinRows}. */
  refreshComponents(): void {
    const { n } = this.index;
    for (let p = 0; p < n; p++) this.component[p] = this.find(p);
    this.refreshCellComponents();
  }

  /** Passes every component's best edge to `sink` and returns the number of merges. */
  joinComponents(sink: EdgeSink): number {
    const { n } = this.index;
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
      sink(from, to, this.bestKey[root]!);
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

/** Euclidean distances between all pairs of centres, row-major. */
function centreGaps(index: CellIndex): Float64Array {
  const { centres, dim, cellCount } = index;
  const gaps = new Float64Array(cellCount * cellCount);
  for (let a = 0; a < cellCount; a++) {
    for (let b = a + 1; b < cellCount; b++) {
      const gap = Math.sqrt(
        squaredDistanceAt(centres, a * dim, centres, b * dim, dim, Infinity),
      );
      gaps[a * cellCount + b] = gap;
      gaps[b * cellCount + a] = gap;
    }
  }
  return gaps;
}
