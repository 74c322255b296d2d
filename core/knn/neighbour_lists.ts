/**
 * One bounded max-heap of (key, index) pairs per row, all in flat typed
 * arrays: the working state of the approximate neighbour search. Row `i`
 * occupies slots `[i * k, (i + 1) * k)`, and slot `i * k` contains its largest
 * pair. Pairs order by key, then by index. Empty slots hold key Infinity and
 * index -1, so a row is always full and its top is always the pair to beat.
 * A flag per slot marks pairs that arrived since the row was last sampled.
 */
export class NeighbourLists {
  readonly n: number;
  readonly k: number;
  readonly keys: Float64Array;
  readonly indices: Int32Array;
  /** 1 for a pair not yet used in a local join, else 0. */
  readonly isNew: Uint8Array;

  constructor(n: number, k: number) {
    this.n = n;
    this.k = k;
    this.keys = new Float64Array(n * k).fill(Infinity);
    this.indices = new Int32Array(n * k).fill(-1);
    this.isNew = new Uint8Array(n * k);
  }

  /** Largest key kept for `row`: a candidate must be below it (or tie with a lower index). */
  worstKey(row: number): number {
    return this.keys[row * this.k]!;
  }

  /**
   * Keeps (key, index) in `row` if it beats the row's largest pair and is not
   * listed already, and returns whether it was kept.
   */
  offer(row: number, key: number, index: number): boolean {
    const { keys, indices, k } = this;
    const top = row * k;
    const topKey = keys[top]!;
    if (key > topKey || (key === topKey && index >= indices[top]!)) {
      return false;
    }
    for (let s = top; s < top + k; s++) if (indices[s] === index) return false;
    this.siftDown(top, key, index);
    return true;
  }

  /**
   * Replaces the top of the heap at `top` by (key, index) and sinks it. The
   * new pair is flagged new.
   */
  private siftDown(top: number, key: number, index: number): void {
    const { keys, indices, isNew, k } = this;
    let parent = 0;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= k) break;
      const right = child + 1;
      if (right < k) {
        const childKey = keys[top + child]!;
        const rightKey = keys[top + right]!;
        if (
          rightKey > childKey ||
          (rightKey === childKey &&
            indices[top + right]! > indices[top + child]!)
        ) child = right;
      }
      const childKey = keys[top + child]!;
      if (
        childKey < key ||
        (childKey === key && indices[top + child]! < index)
      ) break;
      keys[top + parent] = childKey;
      indices[top + parent] = indices[top + child]!;
      isNew[top + parent] = isNew[top + child]!;
      parent = child;
    }
    keys[top + parent] = key;
    indices[top + parent] = index;
    isNew[top + parent] = 1;
  }

  /**
   * Moves the rows to the numbering `rowOf` maps to (row i becomes row
   * rowOf[i]) and renames the listed indices the same way.
   */
  toInputOrder(rowOf: Int32Array): void {
    const { keys, indices, isNew, k, n } = this;
    const movedKeys = new Float64Array(n * k);
    const movedIndices = new Int32Array(n * k);
    for (let i = 0; i < n; i++) {
      const from = i * k;
      const to = rowOf[i]! * k;
      for (let s = 0; s < k; s++) {
        movedKeys[to + s] = keys[from + s]!;
        const index = indices[from + s]!;
        movedIndices[to + s] = index < 0 ? -1 : rowOf[index]!;
      }
    }
    keys.set(movedKeys);
    indices.set(movedIndices);
    isNew.fill(0);
  }

  /**
   * Sorts every row ascending by key, then index, in place. The rows stop
   * being heaps, so call this once, after the last offer.
   */
  sortRows(): void {
    const { keys, indices, k } = this;
    for (let row = 0; row < this.n; row++) {
      const top = row * k;

      // Insertion sort: rows are short.
      for (let s = top + 1; s < top + k; s++) {
        const key = keys[s]!;
        const index = indices[s]!;
        let t = s - 1;
        while (
          t >= top &&
          (keys[t]! > key || (keys[t] === key && indices[t]! > index))
        ) {
          keys[t + 1] = keys[t]!;
          indices[t + 1] = indices[t]!;
          t--;
        }
        keys[t + 1] = key;
        indices[t + 1] = index;
      }
    }
  }
}
