/**
 * Size and render time of the scatter SVG at several row counts, as a
 * Markdown table for docs/BENCHMARKS.md.
 *
 *   deno run --allow-read --allow-env bench/render_size.ts [RUNS]
 *
 * Each case renders once to warm up, then RUNS times (default 7), and the
 * table gives the median time. The data is bench/_blobs.ts: 12 Gaussian
 * clusters and 10% uniform noise, the same as bench/render_bench.ts.
 */

import { renderScatter } from "../render/mod.ts";
import { gaussianBlobs } from "./_blobs.ts";

const CASES = [
  { rows: 2_400, width: 720, height: 520 },
  { rows: 10_000, width: 720, height: 520 },
  { rows: 200_000, width: 640, height: 400 },
  { rows: 200_000, width: 720, height: 520 },
] as const;

const encoder = new TextEncoder();

function write(line: string): void {
  Deno.stdout.writeSync(encoder.encode(line + "\n"));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Reads the hexagon width back from the SVG: the first vertical edge of a compact path, or the spread of a detailed hexagon's vertices. */
function hexagonWidth(svg: string): string {
  const compact = /v([\d.]+)l-?[\d.]+,/.exec(svg);
  if (compact) return (Number(compact[1]) * Math.sqrt(3)).toFixed(1);
  const detailed = /<path d="M([\d.]+),[\d.]+L[\d.]+,[\d.]+L([\d.]+),/.exec(
    svg,
  );
  if (detailed) return (Number(detailed[2]) - Number(detailed[1])).toFixed(1);
  return "–";
}

const runs = Number(Deno.args[0] ?? 7);
if (!Number.isInteger(runs) || runs < 1) {
  throw new RangeError(
    `Invalid run count "${Deno.args[0]}": use a positive integer`,
  );
}

write(
  "| rows | size (px) | SVG bytes | hexagon width (px) | median render (ms) |",
);
write("| ---: | :---: | ---: | ---: | ---: |");
for (const { rows, width, height } of CASES) {
  const points = gaussianBlobs(rows, 12, 3);
  const svg = renderScatter({ ...points, width, height });
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    renderScatter({ ...points, width, height });
    times.push(performance.now() - started);
  }
  write(
    `| ${rows.toLocaleString("en-US")} | ${width}×${height} | ${
      encoder.encode(svg).length.toLocaleString("en-US")
    } | ${hexagonWidth(svg)} | ${median(times).toFixed(0)} |`,
  );
}
