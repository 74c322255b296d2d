/**
 * UMAP's WebAssembly kernel: the embedded binary is the one its source
 * compiles to, and its two powers stay close to Math.pow.
 */

import { assert, assertEquals } from "./_assert.ts";
import {
  allocateLayoutArrays,
  fillPowerTable,
  layoutKernel,
  POWER_TABLE_LENGTH,
} from "../core/umap/layout_kernel.ts";
import { LAYOUT_KERNEL_BASE64 } from "../core/umap/layout_kernel_wasm.ts";
import { createRandom } from "../core/random.ts";
import { compileKernel } from "../scripts/wasm.ts";

/** Returns the worst relative error of `power` against Math.pow over `xs` and `bs`. */
function worstError(
  power: (x: number, b: number) => number,
  xs: number[],
  bs: number[],
): { error: number; x: number; b: number } {
  let worst = { error: 0, x: 0, b: 0 };
  for (const b of bs) {
    for (const x of xs) {
      const error = Math.abs(power(x, b) / Math.pow(x, b) - 1);
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

Deno.test("layout kernel table power within its interpolation bound", () => {
  const { memory, arrays } = allocateLayoutArrays(2, 1);
  const kernel = layoutKernel(memory);
  const table = new Float64Array(
    memory.buffer,
    arrays.powerTable,
    POWER_TABLE_LENGTH,
  );
  for (const b of CURVES) {
    fillPowerTable(table, b);
    const worst = worstError(
      (x) => kernel.tablePow(x, b, arrays.powerTable),
      samplePoints(),
      [b],
    );
    // The error of linear interpolation over 1/64 of an octave, or outside
    // the table the error of the kernel's own power.
    const bound = Math.abs(b * (b - 1)) / 8 / 64 ** 2 + 1e-8;
    assert(
      worst.error < bound,
      `table pow(${worst.x}, ${b}) is off by ${worst.error}`,
    );
  }
});
