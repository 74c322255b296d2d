import { InputError } from "../core/errors.ts";
import type { FitParamsInput } from "../core/fit/params.ts";
import type { LoadOptions } from "../core/load/mod.ts";
import { normalizeFrameAncestors } from "../routes/embed.ts";

/** Parsed command line: positional arguments and the options that apply to each data set. */
export interface ParsedArgs {
  positional: string[];
  load: LoadOptions;
  fit: FitParamsInput;
  out?: string;
  port?: number;
  host?: string;
  name?: string;
  config?: string;
  /** Append the new lines of growing files. */
  watch?: boolean;
  watchFolder?: string;
  /** Normalised CSP frame-ancestors sources from --frame-ancestors. */
  frameAncestors?: string[];
  help: boolean;
}

type OptionKind = "string" | "integer" | "number" | "flag";

/** Every option, its kind and the help line that describes it. */
export const OPTIONS: Record<string, { kind: OptionKind; help: string }> = {
  "--vector": {
    kind: "string",
    help: "column holding the vector (list, array or JSON array text)",
  },
  "--features": {
    kind: "string",
    help: "numeric columns: a,b,c or p0..p63 or p*",
  },
  "--drop-invalid": {
    kind: "flag",
    help: "drop rows whose vector has NaN, Infinity or nulls",
  },
  "--min-cluster-size": {
    kind: "integer",
    help: "smallest cluster HDBSCAN reports (default 15)",
  },
  "--min-samples": {
    kind: "integer",
    help: "neighbours for core distances (default: min cluster size)",
  },
  "--method": {
    kind: "string",
    help: "cluster selection: eom (default) or leaf",
  },
  "--metric": { kind: "string", help: "euclidean (default) or cosine" },
  "--epsilon": {
    kind: "number",
    help: "cluster_selection_epsilon, a distance (default 0)",
  },
  "--allow-single-cluster": {
    kind: "flag",
    help: "let HDBSCAN return one cluster for all points",
  },
  "--seed": { kind: "integer", help: "seed of the projection (default 42)" },
  "--no-umap": {
    kind: "flag",
    help: "skip the 2-D projection (x and y stay empty)",
  },
  "--n-neighbors": {
    kind: "integer",
    help: "UMAP neighbourhood size (default 15)",
  },
  "--min-dist": {
    kind: "number",
    help: "UMAP minimum distance in the layout (default 0.1)",
  },
  "--out": { kind: "string", help: "output file (.csv, .json or .arrow)" },
  "--port": {
    kind: "integer",
    help: "port to listen on (default $PORT or 8000)",
  },
  "--host": {
    kind: "string",
    help: "address to listen on (default 127.0.0.1)",
  },
  "--name": {
    kind: "string",
    help: "data set name in URLs (default: the file's base name)",
  },
  "--config": {
    kind: "string",
    help: "JSON file that lists data sets with their options",
  },
  "--frame-ancestors": {
    kind: "string",
    help:
      "origins that may show the pages in a frame, space- or comma-separated: 'self' or http(s) origins (default 'self')",
  },
  "--watch": {
    kind: "flag",
    help: "append new lines of each CSV or NDJSON FILE as it grows",
  },
  "--watch-folder": {
    kind: "string",
    help: "append each new file that appears in this folder (one FILE only)",
  },
  "--help": { kind: "flag", help: "print this help" },
};

/**
 * Parses `argv` into options. A lone `--` (which `deno task` passes through)
 * is ignored; `--name=value` and `--name value` are both accepted.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], load: {}, fit: {}, help: false };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    if (argument === "--") continue;
    if (!argument.startsWith("--")) {
      parsed.positional.push(argument);
      continue;
    }
    const equals = argument.indexOf("=");
    const flag = equals < 0 ? argument : argument.slice(0, equals);
    const option = OPTIONS[flag];
    if (!option) {
      throw new InputError(
        `Unknown option ${flag}; run with --help to list the options`,
        { status: 400 },
      );
    }
    if (option.kind === "flag") {
      if (equals >= 0) {
        throw new InputError(`Option ${flag} takes no value`, { status: 400 });
      }
      applyFlag(parsed, flag);
      continue;
    }
    const raw = equals >= 0 ? argument.slice(equals + 1) : argv[++i];
    if (raw === undefined || (equals < 0 && raw.startsWith("--"))) {
      throw new InputError(`Missing value for ${flag} (${option.help})`, {
        status: 400,
      });
    }
    applyValue(parsed, flag, convert(flag, option.kind, raw));
  }
  return parsed;
}

/** Decimal numbers only: Number() would also take "0x10", " 20" and "1_0". */
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function convert(flag: string, kind: OptionKind, raw: string): string | number {
  if (kind === "string") return raw;
  const value = Number(raw);
  if (
    !DECIMAL.test(raw) || !Number.isFinite(value) ||
    (kind === "integer" && !Number.isInteger(value))
  ) {
    throw new InputError(
      `Invalid value "${raw}" for ${flag}: expected ${
        kind === "integer" ? "an integer" : "a number"
      }`,
      {
        status: 400,
      },
    );
  }
  return value;
}

function applyFlag(parsed: ParsedArgs, flag: string): void {
  if (flag === "--drop-invalid") parsed.load.dropInvalidRows = true;
  else if (flag === "--allow-single-cluster") {
    parsed.fit.allowSingleCluster = true;
  } else if (flag === "--no-umap") parsed.fit.umap = false;
  else if (flag === "--help") parsed.help = true;
  else if (flag === "--watch") parsed.watch = true;
}

function applyValue(
  parsed: ParsedArgs,
  flag: string,
  value: string | number,
): void {
  const text = String(value);
  const number = Number(value);
  switch (flag) {
    case "--vector":
    case "--features":
      if (parsed.load.vectorSpec) {
        throw new InputError(
          "Conflicting options: give either --vector or --features, once",
          { status: 400 },
        );
      }
      parsed.load.vectorSpec = flag === "--vector"
        ? { vector: text }
        : { features: text };
      break;
    case "--min-cluster-size":
      parsed.fit.minClusterSize = number;
      break;
    case "--min-samples":
      parsed.fit.minSamples = number;
      break;
    case "--method":
      parsed.fit.method = text;
      break;
    case "--metric":
      parsed.fit.metric = text;
      break;
    case "--epsilon":
      parsed.fit.epsilon = number;
      break;
    case "--seed":
      parsed.fit.seed = number;
      break;
    case "--n-neighbors":
      parsed.fit.nNeighbors = number;
      break;
    case "--min-dist":
      parsed.fit.minDist = number;
      break;
    case "--out":
      parsed.out = text;
      break;
    case "--port":
      parsed.port = number;
      break;
    case "--host":
      parsed.host = text;
      break;
    case "--name":
      parsed.name = text;
      break;
    case "--watch-folder":
      parsed.watchFolder = text;
      break;
    case "--config":
      parsed.config = text;
      break;
    case "--frame-ancestors":
      parsed.frameAncestors = normalizeFrameAncestors(
        text.split(/[\s,]+/).filter((source) => source !== ""),
        "--frame-ancestors",
      );
      break;
  }
}

/** Returns the help text of a command, one line per option. */
/** Options that only one command uses, left out of the other's help. */
const SERVE_ONLY = new Set([
  "--port",
  "--host",
  "--name",
  "--config",
  "--frame-ancestors",
  "--watch",
  "--watch-folder",
]);
const CLUSTER_ONLY = new Set(["--out"]);

export function helpText(command: "serve" | "cluster"): string {
  const usage = command === "serve"
    ? "usage: deno task serve [FILE...] [--config FILE] [--port P] [options]"
    : "usage: deno task cluster INPUT [--vector COL | --features COLS] --out FILE [options]";
  const skipped = command === "serve" ? CLUSTER_ONLY : SERVE_ONLY;
  const lines = Object.entries(OPTIONS)
    .filter(([flag]) => !skipped.has(flag))
    .map(([flag, { kind, help }]) =>
      `  ${(flag + (kind === "flag" ? "" : " VALUE")).padEnd(26)}${help}`
    );
  return [usage, "", ...lines].join("\n");
}
