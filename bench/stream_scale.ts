/**
 * Times placing a batch of 1,000 appended rows into a fitted model against a
 * full refit of the same model, at several model sizes. Prints a Markdown
 * table for docs/BENCHMARKS.md.
 *
 *   deno task bench:stream [SIZES...]    (default sizes: 20000 100000)
 */
import { resolveFitParams } from "../core/fit/params.ts";
import { fitModel } from "../core/fit/pipeline.ts";
import { createFittedModel, placeRows } from "../core/stream/fitted_model.ts";
import { blobVectors } from "./_vectors.ts";

const BATCH = 1000;
const DIM = 32;
const PLACE_RUNS = 5;
const REFIT_RUNS = 3;

const sizes = Deno.args.length > 0 ? Deno.args.map(Number) : [20_000, 100_000];
const params = resolveFitParams({ minClusterSize: 50 });
const encoder = new TextEncoder();
const print = (line: string) =>
  Deno.stdout.writeSync(encoder.encode(line + "\n"));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

print(
  `| model rows | place ${BATCH} rows (median of ${PLACE_RUNS}) | full refit (median of ${REFIT_RUNS}) | refit / place |`,
);
print("| ---: | ---: | ---: | ---: |");
for (const n of sizes) {
  const all = blobVectors(n + BATCH, DIM, 20, 7);
  const model = { data: all.data.subarray(0, n * DIM), n, dim: DIM };
  const batch = { data: all.data.subarray(n * DIM), n: BATCH, dim: DIM };

  const refits: number[] = [];
  let fit = null;
  for (let run = 0; run < REFIT_RUNS; run++) {
    const started = performance.now();
    fit = fitModel(model, params);
    refits.push(performance.now() - started);
  }
  const stableIds = Int32Array.from({ length: fit!.clusterCount }, (_, i) => i);
  const fitted = createFittedModel(fit!, model, params, stableIds);

  const places: number[] = [];
  for (let run = 0; run < PLACE_RUNS; run++) {
    const started = performance.now();
    placeRows(fitted, batch, run);
    places.push(performance.now() - started);
  }
  const place = median(places);
  const refit = median(refits);
  print(
    `| ${n.toLocaleString("en-US")} | ${(place / 1000).toFixed(2)} s | ${
      (refit / 1000).toFixed(1)
    } s | ${(refit / place).toFixed(0)}x |`,
  );
}
