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

    const bytes = format === "csv"
      ? new TextEncoder().encode(pointsToCsv(fit))
      : format === "json"
      ? new TextEncoder().encode(pointsToJson(fit))
      : pointsToArrow(fit);
    await Deno.writeFile(args.out, bytes);
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
