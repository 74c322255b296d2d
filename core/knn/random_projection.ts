/**
 * Random projection trees: each node splits its rows by the hyperplane half
 * way between two of them, picked at random, until at most `leafSize` rows
 * remain. Rows that are close tend to share leaves, so the pairs inside the
 * leaves of a few trees make a cheap first neighbour graph for NN-descent.
 */

import type { PreparedRows } from "../distance.ts";
import type { Random } from "../types.ts";

/**
 * Builds `trees` trees over `rows` and calls `visitLeaf` with each leaf's
 * rows, as `order[start..end)`. `order` is reused between calls, so read it
 * before returning. The same `random` sequence gives the same leaves.
 */
export function forEachForestLeaf(
  rows: PreparedRows,
  trees: number,
  leafSize: number,
  random: Random,
  visitLeaf: (order: Int32Array, start: number, end: number) => void,
): void {
  const { n, dim, data } = rows;
  const order = new Int32Array(n);
  const side = new Float64Array(n);
  const normal = new Float64Array(dim);
  const stack: number[] = [];

  for (let tree = 0; tree < trees; tree++) {
    for (let i = 0; i < n; i++) order[i] = i;
    stack.push(0, n);
    while (stack.length > 0) {
      const end = stack.pop()!;
      const start = stack.pop()!;
      const size = end - start;
      if (size <= leafSize) {
        visitLeaf(order, start, end);
        continue;
      }

      // Hyperplane between two distinct random members of the node.
      const a = order[start + Math.floor(random() * size)]!;
      let b = order[start + Math.floor(random() * (size - 1))]!;
      if (b === a) b = order[end - 1]!;
      let offset = 0;
      for (let t = 0; t < dim; t++) {
        const xa = data[a * dim + t]!;
        const xb = data[b * dim + t]!;
        normal[t] = xa - xb;
        offset += (xa - xb) * (xa + xb) / 2;
      }

      // Signed side of every member, then a partition in place.
      for (let i = start; i < end; i++) {
        const row = order[i]!;
        let dot = -offset;
        for (let t = 0; t < dim; t++) dot += normal[t]! * data[row * dim + t]!;
        side[row] = dot;
      }
      let middle = partition(order, side, start, end, random);

      // Rows all on one side (duplicates, or a degenerate pick): halve.
      if (middle === start || middle === end) middle = start + (size >> 1);
      stack.push(start, middle, middle, end);
    }
  }
}

/**
 * Moves the rows with a negative side before those with a positive one and
 * returns the first position of the second group. A row on the hyperplane
 * goes to either side by a coin flip, so ties do not pile up on one side.
 */
function partition(
  order: Int32Array,
  side: Float64Array,
  start: number,
  end: number,
  random: Random,
): number {
  let low = start;
  let high = end - 1;
  while (low <= high) {
    const value = side[order[low]!]!;
    const goesLow = value < 0 || (value === 0 && random() < 0.5);
    if (goesLow) {
      low++;
      continue;
    }
    const swap = order[high]!;
    order[high] = order[low]!;
    order[low] = swap;
    high--;
  }
  return low;
}
