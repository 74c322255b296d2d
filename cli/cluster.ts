import { InputError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { fitModel } from "../core/fit/pipeline.ts";
import { type FitParams, resolveFitParams } from "../core/fit/params.ts";
import { closeDuckDB, loadFile } from "../core/load/mod.ts";
import type { Vectors } from "../core/types.ts";
import {
  pointsToArrow,
  pointsToCsv,
  pointsToJson,
} from "../core/export/points.ts";
import { helpText, type ParsedArgs } from "./args.ts";
import { writeError, writeOutput } from "./output.ts";

/**
 * Runs `cluster`: loads INPUT, fits HDBSCAN and UMAP in this process and
 * writes one row per input row, in input order, to --out.
 */
export async function runCluster(args: ParsedArgs): Promise<void> {
  if (args.help) {
    writeOutput(helpText("cluster"));
    return;
  }
  const [input, ...extra] = args.positional;
  if (!input || extra.length > 0) {
    throw new InputError(
      `Expected one INPUT file, got ${args.positional.length}: ${
        args.positional.join(" ") || "none"
      }\n${helpText("cluster")}`,
      { status: 400 },
    );
  }
  if (!args.out) {
    throw new InputError("Missing --out FILE (.csv, .json or .arrow)", {
      status: 400,
    });
  }
  const format = outputFormat(args.out);
  await checkOutputPath(args.out, input);
  const params = resolveFitParams(args.fit);

  try {
    const table = await loadFile(input, args.load);
    log.info("cluster.loaded", {
      input,
      rows: table.rowCount,
      dimensions: table.vectors.dim,
      // The columns the vectors came from, so a wrong default choice shows.
      columns: table.vectorColumns.length <= 16
        ? table.vectorColumns.join(",")
        : `${
          table.vectorColumns.slice(0, 16).join(",")
        },... (${table.vectorColumns.length} columns)`,
      dropped: table.dropped.length,
    });
    const fit = fitModel(table.vectors, params);
    log.info("cluster.fitted", {
      input,
      clusters: fit.clusterCount,
      timings: fit.timings,
    });
    const points = { ...fit, rows: table.inputRows };
    if (fit.clusterCount === 0) {
      log.warn("cluster.all_noise", {
        input,
        rows: fit.n,
        hint: allNoiseHint(params, fit.model.minSamples),
      });
    }
    if (params.hdbscan.metric === "cosine") {
      warnZeroRows(table.vectors, fit.labels);
    }

    const bytes = format === "csv"
      ? new TextEncoder().encode(pointsToCsv(points))
      : format === "json"
      ? new TextEncoder().encode(pointsToJson(points))
      : pointsToArrow(points);
    try {
      await Deno.writeFile(args.out, bytes);
    } catch (error) {
      throw new InputError(
        `Failed to write --out ${args.out}: ${(error as Error).message}`,
        { status: 400 },
      );
    }
    log.info("cluster.written", { out: args.out, rows: fit.n });
  } finally {
    await closeDuckDB();
  }
}

/**
 * Names the parameter that made every row noise: min_samples when it was
 * given and, after clamping to rows - 1, exceeds min_cluster_size, else
 * min_cluster_size.
 */
function allNoiseHint(params: FitParams, usedMinSamples: number): string {
  const { minClusterSize, minSamples } = params.hdbscan;
  if (minSamples === undefined || usedMinSamples <= minClusterSize) {
    return `every row is noise at min_cluster_size ${minClusterSize}; lower --min-cluster-size, or pass --allow-single-cluster if the data is one group`;
  }
  const clamped = usedMinSamples < minSamples
    ? ` (${minSamples} requested, clamped to rows - 1)`
    : "";
  return `every row is noise at min_samples ${usedMinSamples}${clamped}; lower --min-samples, or pass --allow-single-cluster if the data is one group`;
}

/**
 * Writes one warning line to stderr when some rows are zero vectors (every
 * component exactly 0). Under cosine they have no direction, so their
 * distance is 1 to every other row and 0 to each other (core/distance.ts).
 * A few of them end up as noise, but min_cluster_size or more of them can
 * form a cluster of their own.
 */
function warnZeroRows(vectors: Vectors, labels: Int32Array): void {
  const { data, n, dim } = vectors;
  let zeroRows = 0;
  let zeroNoise = 0;
  for (let row = 0; row < n; row++) {
    let isZero = true;
    for (let j = row * dim; j < (row + 1) * dim; j++) {
      if (data[j] !== 0) {
        isZero = false;
        break;
      }
    }
    if (!isZero) continue;
    zeroRows++;
    if (labels[row]! < 0) zeroNoise++;
  }
  if (zeroRows === 0) return;
  writeError(
    `warning: ${zeroRows} of ${n} rows are zero vectors, which have no direction under --metric cosine; ` +
      `${zeroNoise} of them are noise and ${
        zeroRows - zeroNoise
      } are in clusters. ` +
      "Remove those rows or use --metric euclidean.",
  );
}

function outputFormat(path: string): "csv" | "json" | "arrow" {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".json")) return "json";
  if (
    lower.endsWith(".arrow") || lower.endsWith(".arrows") ||
    lower.endsWith(".ipc")
  ) return "arrow";
  throw new InputError(
    `Unsupported output file "${path}": use a .csv, .json or .arrow extension`,
    {
      status: 400,
    },
  );
}

/** Rejects an output path that would overwrite the input or lies in a missing folder, before any work is done. */
async function checkOutputPath(out: string, input: string): Promise<void> {
  const [outPath, inputPath] = await Promise.all([
    realPathOrSelf(out),
    realPathOrSelf(input),
  ]);
  if (outPath === inputPath) {
    throw new InputError(
      `Invalid --out ${out}: it is the INPUT file, which would be overwritten; choose another path`,
      {
        status: 400,
      },
    );
  }
  const folder = out.includes("/")
    ? out.slice(0, out.lastIndexOf("/")) || "/"
    : ".";
  try {
    const info = await Deno.stat(folder);
    if (!info.isDirectory) throw new Error("not a folder");
  } catch {
    throw new InputError(
      `Folder of --out not found: ${folder}; create it or choose another path`,
      { status: 400 },
    );
  }
}

async function realPathOrSelf(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return path;
  }
}
