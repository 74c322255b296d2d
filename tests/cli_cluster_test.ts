/**
 * Tests of `main.ts cluster` as a user runs it: a subprocess reading a real
 * file through DuckDB and writing one line per input row.
 */
import {
  assert,
  assertEquals,
  assertGreater,
  assertStringIncludes,
} from "./_assert.ts";
import { adjustedRandIndex } from "./_ari.ts";
import { report } from "./_report.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const REFERENCE = new URL("./fixtures/reference/", import.meta.url).pathname;

async function runCluster(
  args: string[],
): Promise<{ code: number; stderr: string }> {
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      MAIN,
      "cluster",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stderr } = await command.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

function readColumn(path: string, column: string): Int32Array {
  const lines = Deno.readTextFileSync(path).trim().split("\n");
  const index = lines[0]!.split(",").indexOf(column);
  assert(index >= 0, `column ${column} missing in ${path}`);
  return Int32Array.from(
    lines.slice(1),
    (line) => Number(line.split(",")[index]),
  );
}

Deno.test("cluster cli matches reference labels", async () => {
  const out = await Deno.makeTempFile({ suffix: ".csv" });
  const cases = [
    {
      input: `${REFERENCE}blobs_2k.csv`,
      args: [
        "--features",
        "x0..x7",
        "--min-cluster-size",
        "15",
        "--method",
        "eom",
      ],
      reference: `${REFERENCE}blobs_2k/results.csv`,
      column: "mcs15_msdefault_eom_label",
      minAri: 0.99,
    },
    {
      input: `${REFERENCE}digits.csv`,
      args: [
        "--features",
        "p0..p63",
        "--min-cluster-size",
        "5",
        "--min-samples",
        "5",
        "--method",
        "leaf",
      ],
      reference: `${REFERENCE}digits/results.csv`,
      column: "mcs5_ms5_leaf_label",
      minAri: 0.9741,
    },
  ];
  for (const { input, args, reference, column, minAri } of cases) {
    const { code, stderr } = await runCluster([
      "--",
      input,
      ...args,
      "--no-umap",
      "--out",
      out,
    ]);
    assertEquals(code, 0, stderr);
    const labels = readColumn(out, "label");
    const expected = readColumn(reference, column);
    assertEquals(labels.length, expected.length);
    const ari = adjustedRandIndex(labels, expected);
    report(
      `cluster cli ${column} on ${input.split("/").pop()}: ARI ${
        ari.toFixed(4)
      }`,
    );
    assertGreater(ari, minAri - 1e-9);
  }
  await Deno.remove(out);
});

Deno.test("cluster cli writes rows in input order", async () => {
  const out = await Deno.makeTempFile({ suffix: ".csv" });
  const { code, stderr } = await runCluster([
    `${REFERENCE}blobs_2k.csv`,
    "--features",
    "x*",
    "--min-cluster-size",
    "15",
    "--seed",
    "3",
    "--out",
    out,
  ]);
  assertEquals(code, 0, stderr);
  const lines = Deno.readTextFileSync(out).trim().split("\n");
  assertEquals(lines[0], "row,label,probability,outlier_score,x,y");
  assertEquals(lines.length, 2001);
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(",");
    assertEquals(Number(cells[0]), i);
    assert(
      Number.isFinite(Number(cells[4])) && cells[4] !== "",
      `x of row ${i}`,
    );
  });

  // The same input and seed give the same bytes.
  const again = await Deno.makeTempFile({ suffix: ".csv" });
  await runCluster([
    `${REFERENCE}blobs_2k.csv`,
    "--features",
    "x*",
    "--min-cluster-size",
    "15",
    "--seed",
    "3",
    "--out",
    again,
  ]);
  assertEquals(Deno.readTextFileSync(again), Deno.readTextFileSync(out));
  await Deno.remove(out);
  await Deno.remove(again);
});

Deno.test("cluster cli errors name the problem", async () => {
  const cases: [string[], string][] = [
    [["missing.csv", "--out", "/tmp/x.csv"], "missing.csv"],
    [[
      `${REFERENCE}blobs_2k.csv`,
      "--vector",
      "embeding",
      "--out",
      "/tmp/x.csv",
    ], "embeding"],
    [[
      `${REFERENCE}blobs_2k.csv`,
      "--features",
      "x*",
      "--min-cluster-size",
      "1",
      "--out",
      "/tmp/x.csv",
    ], "min_cluster_size"],
    [[
      `${REFERENCE}blobs_2k.csv`,
      "--features",
      "x*",
      "--metric",
      "manhattan",
      "--out",
      "/tmp/x.csv",
    ], "manhattan"],
    [[`${REFERENCE}blobs_2k.csv`, "--features", "x*"], "--out"],
    [[`${REFERENCE}blobs_2k.csv`, "--bogus", "--out", "/tmp/x.csv"], "--bogus"],
  ];
  for (const [args, named] of cases) {
    const { code, stderr } = await runCluster(args);
    assertEquals(code, 2, `${args.join(" ")}: ${stderr}`);
    assertStringIncludes(stderr, named);
  }
});
