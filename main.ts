/**
 * clusterscope's command line: `serve` runs the dashboard server and
 * `cluster` writes the clustering of one file.
 *
 * @module
 */
import { parseArgs } from "./cli/args.ts";
import { runCluster } from "./cli/cluster.ts";
import { writeError, writeOutput } from "./cli/output.ts";
import { runServe } from "./cli/serve.ts";
import { InputError, NotFoundError } from "./core/errors.ts";

const USAGE = `usage: deno task serve [FILE...] [options]
       deno task cluster INPUT [--vector COL | --features COLS] --out FILE [options]
Run either with --help for its options.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "serve") await runServe(parseArgs(rest));
    else if (command === "cluster") await runCluster(parseArgs(rest));
    else if (
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
