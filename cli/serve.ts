import { InputError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import {
  DatasetRegistry,
  type DatasetSource,
} from "../core/dataset/registry.ts";
import { generateSampleCsv, SAMPLE_NAME } from "../core/dataset/sample.ts";
import { createApp } from "../routes/app.ts";
import { helpText, type ParsedArgs } from "./args.ts";
import { readConfig } from "./config.ts";
import { writeOutput } from "./output.ts";

const DEFAULT_PORT = 8000;

/** Fit settings of the built-in sample, chosen for its 2,400 rows. */
const SAMPLE_FIT = { minClusterSize: 40 };

/**
 * Runs `serve`: registers each data set (files, a config file, or the
 * built-in sample when neither is given), starts fitting them in the
 * background and serves the dashboards until SIGINT or SIGTERM.
 */
export async function runServe(args: ParsedArgs): Promise<void> {
  if (args.help) {
    writeOutput(helpText("serve"));
    return;
  }
  const config = args.config ? await readConfig(args.config) : null;
  const sources = collectSources(args, config?.datasets ?? []);
  const port = args.port ?? config?.port ?? portFromEnvironment() ??
    DEFAULT_PORT;
  const hostname = args.host ?? config?.host ?? "127.0.0.1";

  const registry = new DatasetRegistry();
  for (const source of sources) registry.add(source);
  const frameAncestors = args.frameAncestors ?? config?.frameAncestors;
  const token = Deno.env.get("CLUSTERSCOPE_TOKEN") || config?.token;
  const app = createApp({
    registry,
    frameAncestors,
    token,
    maxAppendBytes: config?.maxAppendBytes,
  });

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      port,
      hostname,
      onListen: ({ hostname, port }) => {
        log.info("server.start", {
          url: `http://${hostname}:${port}/`,
          datasets: sources.map((s) => s.name),
          frameAncestors: frameAncestors ?? "'self'",
          writes: token ? "enabled" : "disabled",
        });
      },
    }, app.fetch);
  } catch (error) {
    registry.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new InputError(
        `Port ${port} on ${hostname} is already in use; pass --port with a free port or stop the other server`,
        { status: 400 },
      );
    }
    throw error;
  }

  const stop = () => {
    log.info("server.stop", { reason: "signal" });
    registry.close();
    server.shutdown();
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  await server.finished;
  Deno.removeSignalListener("SIGINT", stop);
  Deno.removeSignalListener("SIGTERM", stop);
}

function collectSources(
  args: ParsedArgs,
  configured: DatasetSource[],
): DatasetSource[] {
  if (args.name && args.positional.length !== 1) {
    throw new InputError(
      `--name needs exactly one FILE, got ${args.positional.length}`,
      { status: 400 },
    );
  }
  if (args.watchFolder && args.positional.length !== 1) {
    throw new InputError(
      `--watch-folder needs exactly one FILE, got ${args.positional.length}`,
      { status: 400 },
    );
  }
  const fromFiles = args.positional.map((path): DatasetSource => ({
    name: args.name ?? datasetNameFromPath(path),
    path,
    load: args.load,
    fit: args.fit,
    watch: args.watch || args.watchFolder
      ? { file: args.watch ? path : undefined, folder: args.watchFolder }
      : undefined,
  }));
  const sources = [...configured, ...fromFiles];
  if (sources.length > 0) return sources;
  return [{
    name: SAMPLE_NAME,
    bytes: generateSampleCsv(),
    fileName: "sample.csv",
    load: { vectorSpec: { vector: "embedding" } },
    fit: { ...SAMPLE_FIT, ...args.fit },
  }];
}

/** Derives a URL-safe data set name from a file's base name, such as "users" from "data/users.parquet". */
export function datasetNameFromPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.includes(".") ? base.slice(0, base.lastIndexOf(".")) : base;
  const cleaned = stem.replace(/[^A-Za-z0-9._-]+/g, "-").replace(
    /^[^A-Za-z0-9]+/,
    "",
  ).slice(0, 64);
  return cleaned || "data";
}

function portFromEnvironment(): number | undefined {
  const raw = Deno.env.get("PORT");
  if (raw === undefined || raw === "") return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(
      `Invalid PORT "${raw}": use an integer from 0 to 65535`,
      { status: 400 },
    );
  }
  return port;
}
