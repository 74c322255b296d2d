/**
 * UMAP's optimiser loop as WebAssembly (layout_kernel.wat): the arrays it
 * works on, laid out in one shared memory, and the compiled kernel.
 *
 * The memory is shared, so a helper thread can run the kernel on the same
 * arrays. Its size is fixed when it is made, so views on it stay valid.
 *
 * @module
 */
import { LAYOUT_KERNEL_BASE64 } from "./layout_kernel_wasm.ts";

/** The kernel's exports; see layout_kernel.wat for the arguments. */
export interface LayoutKernel {
  runEpoch(
    heads: number,
    tails: number,
    period: number,
    nextSample: number,
    nextNegative: number,
    firstEdge: number,
    endEdge: number,
    layout: number,
    others: number,
    pulls: number,
    firstRow: number,
    endRow: number,
    n: number,
    epoch: number,
    alpha: number,
    a: number,
    b: number,
    attraction: number,
    repulsion: number,
    negativeRate: number,
    random: number,
    tables: number,
  ): void;
  /** x^b for x > 0, as the kernel computes it outside its tables. */
  pow(x: number, b: number): number;
  /** f(x) from the table of f at `table`, or NaN outside it (see {@link fillForceTables}). */
  interpolate(x: number, table: number): number;
}

/** Points of each force table: 64 per octave of d^2 from 2^-64 to 2^64. */
export const FORCE_TABLE_LENGTH = 128 * 64 + 1;

/** Returns the squared distance at point `i` of a force table. */
export function forceTablePoint(i: number): number {
  return Math.pow(2, Math.floor(i / 64) - 64) * (1 + (i % 64) / 64);
}

/**
 * Fills `tables` (two tables of FORCE_TABLE_LENGTH values) with the parts
 * of UMAP's gradient that depend on the squared distance x alone:
 * x^(b - 1) / (a x^b + 1) for the attraction, then
 * 1 / ((0.001 + x)(a x^b + 1)) for the repulsion.
 */
export function fillForceTables(
  tables: Float64Array,
  a: number,
  b: number,
): void {
  for (let i = 0; i < FORCE_TABLE_LENGTH; i++) {
    const x = forceTablePoint(i);
    const power = Math.pow(x, b);
    tables[i] = power / (x * (a * power + 1));
    tables[FORCE_TABLE_LENGTH + i] = 1 / ((0.001 + x) * (a * power + 1));
  }
}

/**
 * Byte offsets of one optimisation's arrays in its memory. Per row: the
 * positions (float32 x, y), the positions at the epoch's start, and two
 * halves' pulls on each other's rows (float64 x, y). Per sampled edge: its
 * head and tail (int32), its period in epochs, and when it and its negative
 * samples are next due (float64). Besides: the two halves' random states
 * (int32) and the two force tables that the kernel interpolates.
 */
export interface LayoutArrays {
  readonly n: number;
  readonly edgeCount: number;
  readonly random: number;
  readonly forceTables: number;
  readonly layout: number;
  readonly start: number;
  readonly pulls: readonly [number, number];
  readonly heads: number;
  readonly tails: number;
  readonly period: number;
  readonly nextSample: number;
  readonly nextNegative: number;
}

const PAGE_BYTES = 65_536;
/** wasm32 addresses at most 4 GiB. */
const MAX_PAGES = 65_536;

/**
 * Lays out the arrays for `n` rows and `edgeCount` edges and makes a shared,
 * zero-filled memory for them.
 *
 * @throws {RangeError} when they need more than the 4 GiB WebAssembly can address.
 */
export function allocateLayoutArrays(
  n: number,
  edgeCount: number,
): { memory: WebAssembly.Memory; arrays: LayoutArrays } {
  let end = 0;
  const take = (bytes: number) => {
    const offset = end;
    end += Math.ceil(bytes / 8) * 8;
    return offset;
  };
  const arrays: LayoutArrays = {
    n,
    edgeCount,
    random: take(8),
    forceTables: take(FORCE_TABLE_LENGTH * 16),
    layout: take(n * 8),
    start: take(n * 8),
    pulls: [take(n * 16), take(n * 16)],
    heads: take(edgeCount * 4),
    tails: take(edgeCount * 4),
    period: take(edgeCount * 8),
    nextSample: take(edgeCount * 8),
    nextNegative: take(edgeCount * 8),
  };
  const pages = Math.max(1, Math.ceil(end / PAGE_BYTES));
  if (pages > MAX_PAGES) {
    throw new RangeError(
      `Layout of ${n} rows and ${edgeCount} graph edges needs ${
        Math.ceil(end / 2 ** 20)
      } MiB, more than the 4 GiB WebAssembly can address: use fewer rows or a smaller n_neighbors`,
    );
  }
  const memory = new WebAssembly.Memory({
    initial: pages,
    maximum: pages,
    shared: true,
  });
  return { memory, arrays };
}

let compiled: WebAssembly.Module | undefined;

/** Instantiates the kernel on `memory`; the module compiles once per thread. */
export function layoutKernel(memory: WebAssembly.Memory): LayoutKernel {
  if (compiled === undefined) {
    const binary = atob(LAYOUT_KERNEL_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports as unknown as LayoutKernel;
}
