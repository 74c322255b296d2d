import type { NeighbourLists } from "./neighbour_lists.ts";

/**
 * The join candidates of one NN-descent round: for every row, up to `cap`
 * new and up to `cap` old rows among its neighbours and the rows that list
 * it (its reverse neighbours). "New" means the pair arrived in the lists
 * since the row was last sampled. Where a row has more candidates than
 * `cap`, the ones with the smallest pseudo-random priority stay, so hubs do
 * not make joins quadratic.
 */
export class CandidateSample {
  readonly n: number;
  readonly cap: number;
  /** New candidates of row i are `newItems[i * cap .. i * cap + newCount[i])`. */
  readonly newItems: Int32Array;
  readonly newCount: Int32Array;
  readonly oldItems: Int32Array;
  readonly oldCount: Int32Array;

  /** Reverse neighbours in compressed rows, with the new flag of each. */
  private readonly reverseStart: Int32Array;
  private readonly reverseItems: Int32Array;
  private readonly reverseIsNew: Uint8Array;
  /** Row that last saw each item, to skip duplicates, and the row that sampled it. */
  private readonly seenBy: Int32Array;
  private readonly sampledBy: Int32Array;
  /** Candidates of one row before sampling. */
  private scratchItems: Int32Array;
  private scratchPriority: Uint32Array;
  private scratchSorted: Uint32Array;

  constructor(n: number, k: number, cap: number) {
    this.n = n;
    this.cap = cap;
    this.newItems = new Int32Array(n * cap);
    this.newCount = new Int32Array(n);
    this.oldItems = new Int32Array(n * cap);
    this.oldCount = new Int32Array(n);
    this.reverseStart = new Int32Array(n + 1);
    this.reverseItems = new Int32Array(n * k);
    this.reverseIsNew = new Uint8Array(n * k);
    this.seenBy = new Int32Array(n);
    this.sampledBy = new Int32Array(n);
    this.scratchItems = new Int32Array(2 * k + 16);
    this.scratchPriority = new Uint32Array(2 * k + 16);
    this.scratchSorted = new Uint32Array(2 * k + 16);
  }

  /**
   * Samples the candidates of every row from `lists` for round `round`, and
   * flags the sampled new neighbours old, so each pair joins as new once.
   */
  sample(lists: NeighbourLists, round: number): void {
    this.collectReverse(lists);
    this.fill(lists, round, 1, this.newItems, this.newCount);
    this.fill(lists, round, 0, this.oldItems, this.oldCount);
    this.retireSampled(lists);
  }

  /** Lists, for each row, the rows that list it, as compressed rows. */
  private collectReverse(lists: NeighbourLists): void {
    const { n, k, indices, isNew } = lists;
    const start = this.reverseStart;
    start.fill(0);
    for (let s = 0; s < n * k; s++) {
      const other = indices[s]!;
      if (other >= 0) start[other + 1]!++;
    }
    for (let row = 0; row < n; row++) start[row + 1]! += start[row]!;
    const cursor = start.slice(0, n);
    for (let row = 0; row < n; row++) {
      for (let s = row * k; s < (row + 1) * k; s++) {
        const other = indices[s]!;
        if (other < 0) continue;
        const at = cursor[other]!++;
        this.reverseItems[at] = row;
        this.reverseIsNew[at] = isNew[s]!;
      }
    }
  }

  /** Fills the new (`flag` 1) or old (`flag` 0) candidates of every row. */
  private fill(
    lists: NeighbourLists,
    round: number,
    flag: number,
    items: Int32Array,
    counts: Int32Array,
  ): void {
    const { n, k, indices, isNew } = lists;
    const { cap, seenBy } = this;
    seenBy.fill(-1);
    for (let row = 0; row < n; row++) {
      let count = 0;
      const first = this.reverseStart[row]!;
      const last = this.reverseStart[row + 1]!;
      if (this.scratchItems.length < k + last - first) {
        this.scratchItems = new Int32Array(2 * (k + last - first));
        this.scratchPriority = new Uint32Array(2 * (k + last - first));
        this.scratchSorted = new Uint32Array(2 * (k + last - first));
      }
      const scratch = this.scratchItems;
      const priority = this.scratchPriority;

      // Neighbours, then reverse neighbours, each item once.
      for (let s = row * k; s < (row + 1) * k; s++) {
        const other = indices[s]!;
        if (other < 0 || isNew[s] !== flag || seenBy[other] === row) continue;
        seenBy[other] = row;
        scratch[count] = other;
        priority[count++] = mix(row, other, round);
      }
      for (let r = first; r < last; r++) {
        const other = this.reverseItems[r]!;
        if (this.reverseIsNew[r] !== flag || seenBy[other] === row) continue;
        seenBy[other] = row;
        scratch[count] = other;
        priority[count++] = mix(row, other, round);
      }

      // Keep the `cap` smallest priorities, in their listed order.
      if (count > cap) {
        const limit = capThreshold(priority, this.scratchSorted, count, cap);
        let kept = 0;
        for (let c = 0; c < count && kept < cap; c++) {
          if (priority[c]! <= limit) scratch[kept++] = scratch[c]!;
        }
        count = kept;
      }
      items.set(scratch.subarray(0, count), row * cap);
      counts[row] = count;
    }
  }

  /** Flags old every new neighbour that its row sampled. */
  private retireSampled(lists: NeighbourLists): void {
    const { n, k, indices, isNew } = lists;
    const { cap, sampledBy } = this;
    sampledBy.fill(-1);
    for (let row = 0; row < n; row++) {
      const first = row * cap;
      for (let c = first; c < first + this.newCount[row]!; c++) {
        sampledBy[this.newItems[c]!] = row;
      }
      for (let s = row * k; s < (row + 1) * k; s++) {
        if (isNew[s] && sampledBy[indices[s]!] === row) isNew[s] = 0;
      }
    }
  }
}

/**
 * Returns the `cap`-th smallest of the first `count` priorities, so that at
 * most `cap` values are at or below it (priorities are distinct but for
 * rare hash collisions, which only shrink the sample).
 */
function capThreshold(
  priority: Uint32Array,
  scratch: Uint32Array,
  count: number,
  cap: number,
): number {
  scratch.set(priority.subarray(0, count));
  const sorted = scratch.subarray(0, count).sort();
  const limit = sorted[cap - 1]!;
  // With a collision at the limit, more than cap values would pass: tighten.
  return sorted[cap] === limit ? limit - 1 : limit;
}

/** A 32-bit pseudo-random priority of the pair (row, item) in a round: a fixed integer hash, so sampling needs no generator state. */
function mix(row: number, item: number, round: number): number {
  let h = Math.imul(row ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(item + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(round, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
