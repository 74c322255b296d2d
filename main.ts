/**
 * clusterscope's command line: `serve` runs the dashboard server and
 * `cluster` writes the clustering of one file.
 *
 * @module
 */
import { parseArgs } from "./cli/args.ts";
import { writeError, writeOutput } from "./cli/output.ts";
import { InputError, NotFoundError } from "./core/errors.ts";

const USAGE = `usage: deno task serve [FILE...] [options]
       deno task cluster INPUT [--vector COL | --features COLS] --out FILE [options]
Run either with --help for its options.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Each command imports only its own modules: the server's (Hono, Plot)
    // would add to the start of every `cluster` run.
    if (command === "serve") {
      const { runServe } = await import("./cli/serve.ts");
      await runServe(parseArgs(rest));
    } else if (command === "cluster") {
      const { runCluster } = await import("./cli/cluster.ts");
      await runCluster(parseArgs(rest));
    } else if (
      command === undefined || command === "--help" || command === "help"
    ) writeOutput(USAGE);
    else {throw new InputError(`Unknown command "${command}"\n${USAGE}`, {
        status: 400,
      });}
    return 0;
  } catch (error) {
    if (
      error instanceof InputError || error instanceof NotFoundError ||
      error instanceof RangeError
    ) {
      writeError(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
