import type { ClusterTable } from "./clusters.ts";
import type { ResolvedOptions } from "./options.ts";

/**
 * Picks the flat clusters, as cluster indices (id minus n) in ascending order,
 * following the reference Python library hdbscan 0.8.40:
 *
 * - eom (excess of mass): from the deepest cluster up, a cluster is kept
 *   unless the summed stability of its child clusters is strictly greater.
 *   In that case it passes the sum up instead. Keeping a cluster drops
 *   everything below it. The root competes only with allowSingleCluster.
 * - leaf: the clusters with no child clusters. A tree without any split has
 *   no leaves, so leaf selection then returns no cluster at all, even with
 *   allowSingleCluster, as the reference library does.
 * - epsilon > 0 then replaces each picked cluster born at a distance below
 *   epsilon by its nearest ancestor born above epsilon (see
 *   {@link epsilonSearch}). Epsilon is in the metric's units, so a cosine
 *   distance for cosine.
 */
export function selectClusters(
  table: ClusterTable,
  options: ResolvedOptions,
): Int32Array {
  const hasSplit = table.count > 1;
  let selected: number[];
  if (options.method === "eom") {
    selected = excessOfMass(table, options.allowSingleCluster);
    const onlyRoot = selected.length === 1 && selected[0] === 0;
    if (options.epsilon !== 0 && hasSplit && !onlyRoot) {
      selected = epsilonSearch(
        table,
        selected,
        options.epsilon,
        options.allowSingleCluster,
      );
    }
  } else {
    selected = hasSplit ? leaves(table) : [];
    if (options.epsilon !== 0) {
      selected = epsilonSearch(
        table,
        selected,
        options.epsilon,
        options.allowSingleCluster,
      );
    }
  }
  return Int32Array.from(selected).sort();
}

/** Chooses clusters by excess of mass and returns them ascending. */
function excessOfMass(
  table: ClusterTable,
  allowSingleCluster: boolean,
): number[] {
  const { count, childStart, children, parent } = table;
  const stability = Float64Array.from(table.stability);
  const keeps = new Uint8Array(count);
  const lowest = allowSingleCluster ? 0 : 1;

  // Children have larger indices than parents, so descending index order is bottom-up.
  for (let c = count - 1; c >= lowest; c--) {
    let childSum = 0;
    for (let i = childStart[c]!; i < childStart[c + 1]!; i++) {
      childSum += stability[children[i]!]!;
    }
    // The reference library holds this sum in a C float: round the same way,
    // because it decides near-ties.
    childSum = Math.fround(childSum);
    if (childSum > stability[c]!) {
      stability[c] = childSum;
    } else {
      keeps[c] = 1;
    }
  }

  // A kept cluster is selected unless a kept ancestor covers it. One pass
  // in index order reaches every parent before its children.
  const covered = new Uint8Array(count);
  const selected: number[] = [];
  for (let c = 0; c < count; c++) {
    const p = parent[c]!;
    if (p >= 0 && (covered[p] || keeps[p])) covered[c] = 1;
    if (keeps[c] && !covered[c]) selected.push(c);
  }
  return selected;
}

/** Lists the clusters without child clusters, ascending. */
function leaves(table: ClusterTable): number[] {
  const result: number[] = [];
  for (let c = 1; c < table.count; c++) {
    if (table.childStart[c] === table.childStart[c + 1]) result.push(c);
  }
  return result;
}

/**
 * Replaces each candidate born at a distance (1 / birth lambda) below
 * `epsilon` by its nearest ancestor born above `epsilon`. The search stops
 * below the root unless allowSingleCluster. Candidates inside an ancestor
 * already chosen this way are dropped, and candidates born at or above
 * `epsilon` stay.
 *
 * NOTE: the reference library visits the candidates in the iteration order
 * of a Python set; this visits them in ascending index order. The two
 * differ only when a candidate below epsilon sits inside another one's
 * chosen ancestor while a third path stops lower.
 */
export function epsilonSearch(
  table: ClusterTable,
  candidates: readonly number[],
  epsilon: number,
  allowSingleCluster: boolean,
): number[] {
  const chosen = new Set<number>();
  const covered = new Uint8Array(table.count);
  for (const candidate of candidates) {
    if (1 / table.birth[candidate]! >= epsilon) {
      chosen.add(candidate);
      continue;
    }
    if (covered[candidate]) continue;
    const ancestor = ancestorAboveEpsilon(
      table,
      candidate,
      epsilon,
      allowSingleCluster,
    );
    chosen.add(ancestor);
    forEachDescendant(table, ancestor, (d) => covered[d] = 1);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Finds the nearest ancestor of `cluster` born at a distance above `epsilon`, see {@link epsilonSearch}. */
function ancestorAboveEpsilon(
  table: ClusterTable,
  cluster: number,
  epsilon: number,
  allowSingleCluster: boolean,
): number {
  let current = cluster;
  for (;;) {
    const parent = table.parent[current]!;
    if (parent === 0) return allowSingleCluster ? 0 : current;
    if (1 / table.birth[parent]! > epsilon) return parent;
    current = parent;
  }
}

/** Calls `visit` for every cluster strictly below `cluster`. */
function forEachDescendant(
  table: ClusterTable,
  cluster: number,
  visit: (descendant: number) => void,
): void {
  const { childStart, children } = table;
  const stack = [cluster];
  while (stack.length > 0) {
    const c = stack.pop()!;
    for (let i = childStart[c]!; i < childStart[c + 1]!; i++) {
      visit(children[i]!);
      stack.push(children[i]!);
    }
  }
}
