/**
 * Runs umap-js's fit alone, for bench/fit_scale.ts: reads row-major float32
 * vectors, fits with umap-js's defaults (n_neighbors 15, min_dist 0.1) and a
 * seeded random source (seed 42 unless given), writes the n x 2 layout as
 * float32 and prints the fit's time as JSON.
 *
 *   deno run --allow-read --allow-write bench/_umap_js_fit.ts VECTORS DIM LAYOUT [SEED]
 *
 * It imports nothing from the loader on purpose: a process that has
 * imported apache-arrow (as core/load does) ran umap-js's fit about 2.7
 * times slower, while the typed-array core was not affected.
 */

import { UMAP } from "umap-js";
import { createRandom } from "../core/random.ts";

const [vectorsPath, dimText, layoutPath, seedText = "42"] = Deno.args;
if (vectorsPath === undefined || dimText === undefined || !layoutPath) {
  throw new RangeError(
    "Missing arguments: pass the vectors file, the dimension and the layout file",
  );
}
const dim = Number(dimText);
const data = new Float32Array((await Deno.readFile(vectorsPath)).buffer);
const rows: number[][] = [];
for (let row = 0; row < data.length / dim; row++) {
  rows.push(Array.from(data.subarray(row * dim, (row + 1) * dim)));
}

const start = performance.now();
const embedding = new UMAP({
  nNeighbors: 15,
  minDist: 0.1,
  random: createRandom(Number(seedText)),
}).fit(rows);
const fit = performance.now() - start;

const layout = new Float32Array(rows.length * 2);
embedding.forEach((point, row) => {
  layout[row * 2] = point[0]!;
  layout[row * 2 + 1] = point[1]!;
});
await Deno.writeFile(layoutPath, new Uint8Array(layout.buffer));
Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify({ fit }) + "\n"));
