/**
 * Latency of /healthz while the server fits a large data set. The script
 * starts `main.ts serve` on a loopback port with perf_50k.parquet (50,000 x
 * 32) when ../shared has it, else with a generated 50,000-row CSV. It
 * requests /healthz every 20 ms until the data set is ready. Then it prints
 * the latencies seen while the status was "loading", when DuckDB reads the
 * file on the server's thread, and while it was "fitting", when the fit runs
 * in a worker.
 *
 *   deno task bench:healthz [PORT]    (default port 8917)
 *
 * CLUSTERSCOPE_HELPER_THREADS=0 passes on to the server and turns its
 * helper threads off, for comparison.
 */

import { generatedBlobs, hasShared, machine, SHARED } from "./_fit_data.ts";

const encoder = new TextEncoder();
const print = (line = "") => Deno.stdout.writeSync(encoder.encode(line + "\n"));

const port = Number(Deno.args[0] ?? 8917);
const helperThreads = Deno.env.get("CLUSTERSCOPE_HELPER_THREADS");
const INTERVAL_MS = 20;
const STARTUP_TIMEOUT_MS = 60_000;
const FIT_TIMEOUT_MS = 600_000;

const { path, spec, temporary } = await inputTable();
const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--allow-read",
    "--allow-write=.",
    "--allow-net=127.0.0.1",
    "--allow-env",
    "--allow-sys",
    "main.ts",
    "serve",
    path,
    ...spec,
    "--port",
    String(port),
  ],
  cwd: new URL("..", import.meta.url).pathname,
  stdout: "null",
  stderr: "null",
  env: helperThreads === undefined
    ? {}
    : { CLUSTERSCOPE_HELPER_THREADS: helperThreads },
}).spawn();

try {
  const latencies = { loading: [] as number[], fitting: [] as number[] };
  const started = performance.now();
  let fitStart = 0;
  let fitEnd = 0;
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed > FIT_TIMEOUT_MS) {
      throw new Error(
        `Fit timed out: the data set was not ready after ${FIT_TIMEOUT_MS} ms`,
      );
    }
    const sent = performance.now();
    let status: string | undefined;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      const body = await response.json();
      status = body.datasets?.[0]?.status;
    } catch {
      if (fitStart === 0 && elapsed > STARTUP_TIMEOUT_MS) {
        throw new Error(
          `No response from the server on port ${port} within ${STARTUP_TIMEOUT_MS} ms: check that the port is free`,
        );
      }
    }
    const latency = performance.now() - sent;
    if (status === "loading" || status === "fitting") {
      if (fitStart === 0) fitStart = sent;
      latencies[status].push(latency);
    } else if (status === "ready" || status === "failed") {
      fitEnd = sent;
      if (status === "failed") {
        throw new Error(
          "Fit failed: the server reports the data set as failed",
        );
      }
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }

  print(`Machine: ${machine()}`);
  print(
    `Input: ${path} (${
      spec.join(" ")
    }), one /healthz request every ${INTERVAL_MS} ms on loopback; load and fit took ${
      ((fitEnd - fitStart) / 1000).toFixed(1)
    } s.`,
  );
  print();
  print(
    "| data set status | requests | median (ms) | 99th percentile (ms) | max (ms) |",
  );
  print("| --- | ---: | ---: | ---: | ---: |");
  for (const [status, values] of Object.entries(latencies)) {
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    const quantile = (q: number) =>
      values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
    print(
      `| ${status} | ${values.length} | ${quantile(0.5).toFixed(1)} | ${
        quantile(0.99).toFixed(1)
      } | ${values.at(-1)!.toFixed(1)} |`,
    );
  }
} finally {
  server.kill();
  await server.status;
  if (temporary) await Deno.remove(path);
}

/** Returns the table to serve: perf_50k.parquet, or a generated CSV of the same shape. */
async function inputTable(): Promise<
  { path: string; spec: string[]; temporary: boolean }
> {
  const parquet = "datasets/perf_50k.parquet";
  if (hasShared(parquet)) {
    return {
      path: new URL(parquet, SHARED).pathname,
      spec: ["--vector", "embedding", "--min-cluster-size", "50"],
      temporary: false,
    };
  }
  const { n, dim, data } = generatedBlobs(50_000);
  const header = Array.from({ length: dim }, (_, t) => `p${t}`).join(",");
  const lines = [header];
  for (let row = 0; row < n; row++) {
    lines.push(Array.from(data.subarray(row * dim, (row + 1) * dim)).join(","));
  }
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return {
    path,
    spec: ["--features", `p0..p${dim - 1}`, "--min-cluster-size", "50"],
    temporary: true,
  };
}
