/**
 * UMAP's WebAssembly kernel: the embedded binary is the one its source
 * compiles to, its power stays close to Math.pow, and its force tables
 * close to the forces.
 */

import { assert, assertEquals } from "./_assert.ts";
import {
  allocateLayoutArrays,
  fillForceTables,
  FORCE_TABLE_LENGTH,
  forceTablePoint,
  layoutKernel,
} from "../core/umap/layout_kernel.ts";
import { LAYOUT_KERNEL_BASE64 } from "../core/umap/layout_kernel_wasm.ts";
import { createRandom } from "../core/random.ts";
import { compileKernel } from "../scripts/wasm.ts";

/**
 * Returns the worst relative error of `computed` against `exact` (by
 * default Math.pow) over `xs` and `bs`.
 */
function worstError(
  computed: (x: number, b: number) => number,
  xs: number[],
  bs: number[],
  exact: (x: number, b: number) => number = Math.pow,
): { error: number; x: number; b: number } {
  let worst = { error: 0, x: 0, b: 0 };
  for (const b of bs) {
    for (const x of xs) {
      const error = Math.abs(computed(x, b) / exact(x, b) - 1);
      if (!(error <= worst.error)) worst = { error, x, b };
    }
  }
  return worst;
}

/** Squared distances from 1e-60 to 1e60, spread evenly in log scale, and a few chosen ones. */
function samplePoints(): number[] {
  const random = createRandom(5);
  const xs = [2 ** -64, 2 ** 64 - 1e5, 1, 0.001, 1e-100, 1e100];
  for (let i = 0; i < 20_000; i++) xs.push(10 ** ((random() - 0.5) * 120));
  return xs;
}

/** Returns a kernel on a small memory, with a view of its force tables. */
function kernelWithTables() {
  const { memory, arrays } = allocateLayoutArrays(2, 1);
  const tables = new Float64Array(
    memory.buffer,
    arrays.forceTables,
    FORCE_TABLE_LENGTH * 2,
  );
  return { kernel: layoutKernel(memory), arrays, tables };
}

// b for min_dist 0.001, 0.1, 0.5 and 0.99 at spread 1, and 1 itself.
const CURVES = [0.5, 0.7915, 0.8951, 1, 1.9291];

Deno.test("layout kernel embedded binary matches its source", async () => {
  const compiled = await compileKernel();
  const embedded = Uint8Array.from(
    atob(LAYOUT_KERNEL_BASE64),
    (c) => c.charCodeAt(0),
  );
  assert(
    compiled.length === embedded.length &&
      compiled.every((byte, i) => byte === embedded[i]),
    "core/umap/layout_kernel_wasm.ts is stale: run `deno task build:wasm`",
  );
});

Deno.test("layout kernel power within 1e-8 of Math.pow", () => {
  const { memory } = allocateLayoutArrays(2, 1);
  const kernel = layoutKernel(memory);
  const worst = worstError(kernel.pow, samplePoints(), CURVES);
  assert(
    worst.error < 1e-8,
    `pow(${worst.x}, ${worst.b}) is off by ${worst.error}`,
  );
  assertEquals(kernel.pow(4, 0.5), 2);
});

Deno.test("layout kernel force tables within interpolation bound", () => {
  const { kernel, arrays, tables } = kernelWithTables();
  const repulsionTable = arrays.forceTables + FORCE_TABLE_LENGTH * 8;
  const xs = samplePoints().filter((x) => x >= 2 ** -64 && x < 2 ** 64);
  for (const b of CURVES) {
    const a = 1.5;
    fillForceTables(tables, a, b);
    // Linear interpolation over 1/64 of an octave errs by at most
    // |c (c - 1)| / 32768 for a local power x^c: c lies between b - 1 and -1 for
    // the attraction and in [-1 - b, 0] for the repulsion.
    const attraction = (x: number) =>
      Math.pow(x, b - 1) / (a * Math.pow(x, b) + 1);
    const repulsion = (x: number) =>
      1 / ((0.001 + x) * (a * Math.pow(x, b) + 1));
    const cases = [
      {
        table: arrays.forceTables,
        exact: attraction,
        slope: Math.min(b - 1, -1),
      },
      { table: repulsionTable, exact: repulsion, slope: -1 - b },
    ];
    for (const { table, exact, slope } of cases) {
      const bound = Math.abs(slope * (slope - 1)) / 32768 + 1e-9;
      const worst = worstError(
        (x) => kernel.interpolate(x, table),
        xs,
        [b],
        exact,
      );
      assert(
        worst.error < bound,
        `force table at ${worst.x} for b = ${b} is off by ${worst.error}`,
      );
    }
  }
});

Deno.test("layout kernel force tables end at 2^64", () => {
  const { kernel, arrays, tables } = kernelWithTables();
  fillForceTables(tables, 1.5, 0.9);
  assert(Number.isNaN(kernel.interpolate(2 ** 64, arrays.forceTables)));
  assert(Number.isNaN(kernel.interpolate(2 ** -65, arrays.forceTables)));
  assertEquals(forceTablePoint(FORCE_TABLE_LENGTH - 1), 2 ** 64);
});
