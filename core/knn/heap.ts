/**
 * A bounded max-heap of (key, index) pairs that keeps the `capacity`
 * smallest pairs offered to it, in the order key first, then index. Storage
 * is two typed arrays allocated once, so offering is allocation-free.
 */
export class NeighbourHeap {
  readonly capacity: number;
  readonly keys: Float64Array;
  readonly indices: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.keys = new Float64Array(capacity);
    this.indices = new Int32Array(capacity);
  }

  /** Empties the heap for reuse. */
  clear(): void {
    this.size = 0;
  }

  /** Returns whether the heap contains `capacity` pairs. */
  isFull(): boolean {
    return this.size === this.capacity;
  }

  /** Largest key kept, or Infinity while the heap has room. */
  worstKey(): number {
    return this.size < this.capacity ? Infinity : this.keys[0] as number;
  }

  /** Keeps (key, index) if it is among the `capacity` smallest pairs seen. */
  offer(key: number, index: number): void {
    const { keys, indices } = this;
    if (this.size < this.capacity) {
      this.siftUp(this.size++, key, index);
      return;
    }
    const topKey = keys[0] as number;
    if (key > topKey || (key === topKey && index >= (indices[0] as number))) {
      return;
    }
    this.siftDown(0, this.size, key, index);
  }

  /**
   * Sorts the kept pairs ascending in place and empties the heap. The sorted
   * pairs are then `keys[0..n)` and `indices[0..n)` for the returned n.
   */
  sortAscending(): number {
    const count = this.size;
    for (let end = count - 1; end > 0; end--) {
      const key = this.keys[end] as number;
      const index = this.indices[end] as number;
      this.keys[end] = this.keys[0] as number;
      this.indices[end] = this.indices[0] as number;
      this.siftDown(0, end, key, index);
    }
    this.size = 0;
    return count;
  }

  private siftUp(start: number, key: number, index: number): void {
    const { keys, indices } = this;
    let child = start;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const parentKey = keys[parent] as number;
      if (
        parentKey > key ||
        (parentKey === key && (indices[parent] as number) > index)
      ) break;
      keys[child] = parentKey;
      indices[child] = indices[parent] as number;
      child = parent;
    }
    keys[child] = key;
    indices[child] = index;
  }

  /** Places (key, index) at `start` and sinks it within the first `size` slots. */
  private siftDown(
    start: number,
    size: number,
    key: number,
    index: number,
  ): void {
    const { keys, indices } = this;
    let parent = start;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && isAfter(keys, indices, right, child)) child = right;
      const childKey = keys[child] as number;
      if (
        childKey < key ||
        (childKey === key && (indices[child] as number) < index)
      ) break;
      keys[parent] = childKey;
      indices[parent] = indices[child] as number;
      parent = child;
    }
    keys[parent] = key;
    indices[parent] = index;
  }
}

/** Returns whether slot `a` orders after slot `b`: a larger key, or an equal key and a larger index. */
function isAfter(
  keys: Float64Array,
  indices: Int32Array,
  a: number,
  b: number,
): boolean {
  const keyA = keys[a] as number;
  const keyB = keys[b] as number;
  return keyA > keyB ||
    (keyA === keyB && (indices[a] as number) > (indices[b] as number));
}
