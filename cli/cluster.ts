import { InputError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { fitModel } from "../core/fit/pipeline.ts";
import { resolveFitParams } from "../core/fit/params.ts";
import { closeDuckDB, loadFile } from "../core/load/mod.ts";
import {
  pointsToArrow,
  pointsToCsv,
  pointsToJson,
} from "../core/export/points.ts";
import { helpText, type ParsedArgs } from "./args.ts";
import { writeOutput } from "./output.ts";

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
        hint:
          `every row is noise at min_cluster_size ${params.hdbscan.minClusterSize}; lower --min-cluster-size, or pass --allow-single-cluster if the data is one group`,
      });
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
