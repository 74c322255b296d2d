import { InputError } from "../core/errors.ts";
import type { DatasetSource } from "../core/dataset/registry.ts";
import { type FitParamsInput, resolveFitParams } from "../core/fit/params.ts";
import type { LoadOptions } from "../core/load/mod.ts";
import { normalizeFrameAncestors } from "../routes/embed.ts";

/** A server configuration file, as JSON. */
export interface ServeConfig {
  port?: number;
  host?: string;
  /** Normalised CSP frame-ancestors sources. */
  frameAncestors?: string[];
  /** Bearer token for write endpoints; CLUSTERSCOPE_TOKEN takes precedence. */
  token?: string;
  /** Largest append body in bytes. */
  maxAppendBytes?: number;
  datasets: DatasetSource[];
}

/** Keys of a data set entry and the JSON type each takes. */
const DATASET_KEY_TYPES: Record<string, "string" | "number" | "boolean"> = {
  name: "string",
  path: "string",
  vector: "string",
  features: "string",
  dropInvalid: "boolean",
  minClusterSize: "number",
  minSamples: "number",
  method: "string",
  metric: "string",
  epsilon: "number",
  allowSingleCluster: "boolean",
  seed: "number",
  umap: "boolean",
  nNeighbors: "number",
  minDist: "number",
  watch: "boolean",
  watchFolder: "string",
};
const DATASET_KEYS = new Set(Object.keys(DATASET_KEY_TYPES));

/**
 * Reads a config file such as
 * `{"port": 8000, "datasets": [{"name": "users", "path": "users.parquet", "vector": "embedding", "minClusterSize": 500, "metric": "cosine"}]}`.
 * Relative paths are resolved against the config file's folder.
 */
export async function readConfig(path: string): Promise<ServeConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InputError(
        `Config file "${path}" not found; check the --config path`,
        { status: 400 },
      );
    }
    throw new InputError(
      `Invalid config file "${path}": ${(error as Error).message}`,
      { status: 400 },
    );
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.datasets)) {
    throw new InputError(
      `Invalid config file "${path}": expected an object with a "datasets" array`,
      {
        status: 400,
      },
    );
  }
  const folder = path.includes("/")
    ? path.slice(0, path.lastIndexOf("/") + 1)
    : "";
  const datasets = parsed.datasets.map((entry, index) =>
    readDataset(entry, index, folder, path)
  );
  return {
    port: readPort(parsed.port, path),
    host: typeof parsed.host === "string" ? parsed.host : undefined,
    frameAncestors: readFrameAncestors(parsed.frameAncestors, path),
    token: typeof parsed.token === "string" && parsed.token !== ""
      ? parsed.token
      : undefined,
    maxAppendBytes: readPositiveInteger(
      parsed.maxAppendBytes,
      "maxAppendBytes",
      path,
    ),
    datasets,
  };
}

/**
 * Reads the optional top-level "frameAncestors": an array of origins such as
 * "https://docs.example.com", or "'self'".
 */
function readFrameAncestors(
  value: unknown,
  path: string,
): string[] | undefined {
  if (value === undefined) return undefined;
  const where = `"frameAncestors" of "${path}"`;
  if (
    !Array.isArray(value) || !value.every((entry) => typeof entry === "string")
  ) {
    throw new InputError(
      `Invalid ${where}: expected an array of strings such as ["'self'", "https://docs.example.com"]`,
      { status: 400 },
    );
  }
  return normalizeFrameAncestors(value, where);
}

function readDataset(
  entry: unknown,
  index: number,
  folder: string,
  path: string,
): DatasetSource {
  const where = `datasets[${index}] of "${path}"`;
  if (!isRecord(entry)) {
    throw new InputError(`Invalid ${where}: expected an object`, {
      status: 400,
    });
  }
  for (const key of Object.keys(entry)) {
    if (!DATASET_KEYS.has(key)) {
      throw new InputError(
        `Unknown key "${key}" in ${where}; allowed: ${
          [...DATASET_KEYS].join(", ")
        }`,
        {
          status: 400,
        },
      );
    }
  }
  if (typeof entry.name !== "string" || typeof entry.path !== "string") {
    throw new InputError(
      `Invalid ${where}: "name" and "path" must be strings`,
      { status: 400 },
    );
  }
  // A value of the wrong type would otherwise be dropped or converted quietly.
  for (const [key, value] of Object.entries(entry)) {
    const expected = DATASET_KEY_TYPES[key];
    const actual: string = typeof value;
    if (actual !== expected) {
      throw new InputError(
        `Data set "${entry.name}" (${where}): invalid "${key}" ${
          JSON.stringify(value)
        }: expected a ${expected}`,
        { status: 400 },
      );
    }
  }
  const load: LoadOptions = { dropInvalidRows: entry.dropInvalid === true };
  if (typeof entry.vector === "string") {
    load.vectorSpec = { vector: entry.vector };
  } else if (typeof entry.features === "string") {
    load.vectorSpec = { features: entry.features };
  }
  const fit: FitParamsInput = {};
  for (
    const key of [
      "minClusterSize",
      "minSamples",
      "epsilon",
      "seed",
      "nNeighbors",
      "minDist",
    ] as const
  ) {
    if (entry[key] !== undefined) fit[key] = Number(entry[key]);
  }
  if (typeof entry.method === "string") fit.method = entry.method;
  if (typeof entry.metric === "string") fit.metric = entry.metric;
  if (entry.allowSingleCluster === true) fit.allowSingleCluster = true;
  if (entry.umap === false) fit.umap = false;
  checkFitParams(fit, `Data set "${entry.name}" (${where})`);
  const filePath = entry.path.startsWith("/")
    ? entry.path
    : folder + entry.path;
  const watchFolder = typeof entry.watchFolder === "string"
    ? (entry.watchFolder.startsWith("/")
      ? entry.watchFolder
      : folder + entry.watchFolder)
    : undefined;
  const watch = entry.watch === true || watchFolder
    ? { file: entry.watch === true ? filePath : undefined, folder: watchFolder }
    : undefined;
  return { name: entry.name, path: filePath, load, fit, watch };
}

/**
 * Validates a data set's fit parameters while the config is read, so an
 * invalid value names the data set it belongs to. The data set resolves them
 * again when it starts.
 */
function checkFitParams(fit: FitParamsInput, label: string): void {
  try {
    resolveFitParams(fit);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`${label}: ${error.message}`, {
      status: 400,
      cause: error,
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readPositiveInteger(
  value: unknown,
  key: string,
  path: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InputError(
      `Invalid "${key}" ${
        JSON.stringify(value)
      } in "${path}": use a positive integer`,
      {
        status: 400,
      },
    );
  }
  return value;
}

function readPort(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < 0 ||
    value > 65535
  ) {
    throw new InputError(
      `Invalid "port" ${
        JSON.stringify(value)
      } in "${path}": use an integer from 0 to 65535`,
      {
        status: 400,
      },
    );
  }
  return value;
}
