/**
 * Validation of fit parameters from the command line and from a config file:
 * integers beyond 2^53 - 1 are rejected like fractions, and a config file's
 * invalid value names the data set it belongs to.
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "./_assert.ts";
import { runMain } from "./_cli.ts";
import { parseArgs } from "../cli/args.ts";
import { readConfig } from "../cli/config.ts";
import { InputError } from "../core/errors.ts";
import { resolveFitParams } from "../core/fit/params.ts";

const BLOBS = new URL("./fixtures/reference/blobs_2k.csv", import.meta.url)
  .pathname;

/** Returns the InputError that `run` throws, failing the test for none or another error. */
function inputErrorOf(run: () => unknown): InputError {
  return assertThrows(run, InputError) as InputError;
}

Deno.test("fit params reject unsafe integers", () => {
  const cases: [number, string][] = [
    [1e99, "1e+99"],
    [2 ** 53, String(2 ** 53)],
    [2.5, "2.5"],
    [Infinity, "Infinity"],
    [NaN, "NaN"],
  ];
  for (const [value, shown] of cases) {
    const size = inputErrorOf(() =>
      resolveFitParams({ minClusterSize: value })
    );
    assertEquals(size.status, 400);
    assertStringIncludes(size.message, `Invalid min_cluster_size ${shown}`);
    assertStringIncludes(size.message, "use an integer from 2 to");

    const samples = inputErrorOf(() => resolveFitParams({ minSamples: value }));
    assertEquals(samples.status, 400);
    assertStringIncludes(samples.message, `Invalid min_samples ${shown}`);
  }
});

Deno.test("fit params accept largest safe integer", () => {
  const params = resolveFitParams({
    minClusterSize: Number.MAX_SAFE_INTEGER,
    minSamples: Number.MAX_SAFE_INTEGER,
  });
  assertEquals(params.hdbscan.minClusterSize, Number.MAX_SAFE_INTEGER);
  assertEquals(params.hdbscan.minSamples, Number.MAX_SAFE_INTEGER);
});

Deno.test("cluster cli rejects 1e99 sizes", async () => {
  const out = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    for (const flag of ["--min-cluster-size", "--min-samples"]) {
      const { code, stderr } = await runMain([
        "cluster",
        BLOBS,
        "--features",
        "x*",
        "--no-umap",
        flag,
        "1e99",
        "--out",
        out,
      ]);
      assertEquals(code, 2, `${flag} 1e99: ${stderr}`);
      assertStringIncludes(stderr, "1e+99");
      assertStringIncludes(stderr, flag.slice(2).replaceAll("-", "_"));
    }
  } finally {
    await Deno.remove(out);
  }
});

Deno.test("config value errors name data set", async () => {
  const folder = await Deno.makeTempDir({ prefix: "clusterscope-config-" });
  try {
    const cases: [Record<string, unknown>, string][] = [
      [{ minClusterSize: 0 }, "Invalid min_cluster_size 0"],
      [{ minSamples: 1e99 }, "Invalid min_samples 1e+99"],
      [{ metric: "manhattan" }, 'Invalid metric "manhattan"'],
      [{ minDist: 3 }, "Invalid min_dist 3"],
      [{ umap: "no" }, 'invalid "umap" "no": expected a boolean'],
      [{ watch: "yes" }, 'invalid "watch" "yes": expected a boolean'],
      [
        { minClusterSize: "20" },
        'invalid "minClusterSize" "20": expected a number',
      ],
      [{ epsilon: null }, 'invalid "epsilon" null: expected a number'],
    ];
    for (const [values, expected] of cases) {
      const path = `${folder}/config.json`;
      await Deno.writeTextFile(
        path,
        JSON.stringify({
          datasets: [
            { name: "first", path: "first.csv" },
            { name: "second", path: "second.csv", ...values },
          ],
        }),
      );
      const error = await readConfig(path).then(
        () => null,
        (error: unknown) => error,
      );
      assert(
        error instanceof InputError,
        `${JSON.stringify(values)}: ${error}`,
      );
      assertEquals(error.status, 400);
      assertStringIncludes(error.message, 'Data set "second"');
      assertStringIncludes(error.message, `datasets[1] of "${path}"`);
      assertStringIncludes(error.message, expected);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("config accepts valid fit values", async () => {
  const folder = await Deno.makeTempDir({ prefix: "clusterscope-config-" });
  try {
    const path = `${folder}/config.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        datasets: [{
          name: "users",
          path: "users.csv",
          minClusterSize: 20,
          minSamples: 5,
          metric: "cosine",
        }],
      }),
    );
    const config = await readConfig(path);
    assertEquals(config.datasets[0]!.fit.minClusterSize, 20);
    assertEquals(config.datasets[0]!.fit.minSamples, 5);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("cli numbers must be decimal", () => {
  for (const raw of ["0x10", " 20", "1_0", "20 ", "0b11", ""]) {
    assertThrows(
      () => parseArgs(["x.csv", "--min-cluster-size", raw]),
      InputError,
      `Invalid value "${raw}" for --min-cluster-size`,
    );
  }
  for (const [raw, expected] of [["20", 20], ["+20", 20], ["2e1", 20]]) {
    const parsed = parseArgs(["x.csv", "--min-cluster-size", raw as string]);
    assertEquals(parsed.fit.minClusterSize, expected);
  }
  assertEquals(parseArgs(["x.csv", "--min-dist", ".5"]).fit.minDist, 0.5);
});
