import type { KnnGraph } from "../types.ts";

/**
 * Minimum spanning forest of mutual reachability restricted to the edges of
 * a neighbour graph, in input rows: `edges` of the forest and the component
 * root of every row. One component means the forest is a spanning tree.
 */
export interface GraphForest {
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Mutual-reachability distance, in the units of the metric. */
  readonly weight: Float64Array;
  readonly componentOf: Int32Array;
  readonly components: number;
}

/**
 * Builds the minimum spanning forest of the graph whose edges are those of
 * `knn`, weighted max(core(a), core(b), d(a, b)), by Borůvka rounds. Edges
 * compare by (weight, lower row, higher row), so the forest is unique. It
 * reads distances from `knn` as they are and computes none.
 */
export function graphForest(
  knn: KnnGraph,
  coreDistances: Float64Array,
): GraphForest {
  const { n, k, indices, distances } = knn;
  const parent = new Int32Array(n);
  for (let row = 0; row < n; row++) parent[row] = row;
  const find = (row: number): number => {
    let x = row;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const componentOf = parent.slice();
  const bestWeight = new Float64Array(n);
  const bestLow = new Int32Array(n);
  const bestHigh = new Int32Array(n);
  const from = new Int32Array(Math.max(0, n - 1));
  const to = new Int32Array(Math.max(0, n - 1));
  const weight = new Float64Array(Math.max(0, n - 1));
  let edges = 0;

  // Keeps edge (a, b) for component c if it beats c's best.
  const offer = (c: number, w: number, a: number, b: number) => {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const best = bestWeight[c]!;
    if (
      w < best ||
      (w === best &&
        (low < bestLow[c]! || (low === bestLow[c]! && high < bestHigh[c]!)))
    ) {
      bestWeight[c] = w;
      bestLow[c] = low;
      bestHigh[c] = high;
    }
  };

  for (let components = n; components > 1;) {
    bestWeight.fill(Infinity);
    bestLow.fill(-1);

    // Each component's lightest edge to another component.
    for (let a = 0; a < n; a++) {
      const own = componentOf[a]!;
      const coreA = coreDistances[a]!;
      for (let slot = a * k; slot < (a + 1) * k; slot++) {
        const b = indices[slot]!;
        if (b < 0) break;
        const other = componentOf[b]!;
        if (other === own) continue;
        const w = Math.max(coreA, coreDistances[b]!, distances[slot]!);
        offer(own, w, a, b);
        offer(other, w, a, b);
      }
    }

    // Join along them; two components may pick the same edge.
    let merges = 0;
    for (let c = 0; c < n; c++) {
      if (componentOf[c] !== c || bestLow[c]! < 0) continue;
      const rootLow = find(bestLow[c]!);
      const rootHigh = find(bestHigh[c]!);
      if (rootLow === rootHigh) continue;
      if (rootLow < rootHigh) parent[rootHigh] = rootLow;
      else parent[rootLow] = rootHigh;
      from[edges] = bestLow[c]!;
      to[edges] = bestHigh[c]!;
      weight[edges++] = bestWeight[c]!;
      merges++;
    }
    for (let row = 0; row < n; row++) componentOf[row] = find(row);
    if (merges === 0) break;
    components -= merges;
  }

  let components = 0;
  for (let row = 0; row < n; row++) if (componentOf[row] === row) components++;
  return {
    from: from.slice(0, edges),
    to: to.slice(0, edges),
    weight: weight.slice(0, edges),
    componentOf,
    components,
  };
}
