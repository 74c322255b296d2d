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
import { runMain } from "./_cli.ts";
import { report } from "./_report.ts";

const REFERENCE = new URL("./fixtures/reference/", import.meta.url).pathname;

function runCluster(
  args: string[],
): Promise<{ code: number; stderr: string }> {
  return runMain(["cluster", ...args]);
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

/** Writes the first `rows` rows of blobs_2k.csv plus `zeroRows` all-zero rows to a temporary CSV file. */
async function writeBlobsWithZeroRows(
  rows: number,
  zeroRows: number,
): Promise<string> {
  const lines = Deno.readTextFileSync(`${REFERENCE}blobs_2k.csv`).trim()
    .split("\n");
  const width = lines[0]!.split(",").length;
  const zero = Array.from({ length: width }, () => "0").join(",");
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  await Deno.writeTextFile(
    path,
    [...lines.slice(0, rows + 1), ...Array(zeroRows).fill(zero)].join("\n") +
      "\n",
  );
  return path;
}

/** Returns the "hint" of the cluster.all_noise log record in `stderr`, or undefined. */
function allNoiseHint(stderr: string): string | undefined {
  for (const line of stderr.split("\n")) {
    if (!line.startsWith("{")) continue;
    const record = JSON.parse(line);
    if (record.event === "cluster.all_noise") return record.hint;
  }
  return undefined;
}

Deno.test("cluster cli all-noise hint names min_samples", async () => {
  const input = await writeBlobsWithZeroRows(300, 0);
  const out = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    const bySamples = await runCluster([
      input,
      "--features",
      "x0..x7",
      "--min-samples",
      "100000",
      "--no-umap",
      "--out",
      out,
    ]);
    assertEquals(bySamples.code, 0, bySamples.stderr);
    const samplesHint = allNoiseHint(bySamples.stderr);
    assert(samplesHint, `no all-noise hint in ${bySamples.stderr}`);
    assertStringIncludes(samplesHint, "min_samples 299");
    assertStringIncludes(samplesHint, "100000 requested");
    assertStringIncludes(samplesHint, "--min-samples");
    assert(
      !samplesHint.includes("min_cluster_size"),
      `hint blames min_cluster_size: ${samplesHint}`,
    );

    // A min_cluster_size above the row count stays the named cause.
    const bySize = await runCluster([
      input,
      "--features",
      "x0..x7",
      "--min-cluster-size",
      "400",
      "--min-samples",
      "100000",
      "--no-umap",
      "--out",
      out,
    ]);
    assertEquals(bySize.code, 0, bySize.stderr);
    const sizeHint = allNoiseHint(bySize.stderr);
    assert(sizeHint, `no all-noise hint in ${bySize.stderr}`);
    assertStringIncludes(sizeHint, "min_cluster_size 400");
  } finally {
    await Deno.remove(input);
    await Deno.remove(out);
  }
});

Deno.test("cluster cli warns of cosine zero rows", async () => {
  const out = await Deno.makeTempFile({ suffix: ".csv" });
  const few = await writeBlobsWithZeroRows(300, 5);
  const many = await writeBlobsWithZeroRows(300, 30);
  try {
    const cases = [
      { input: few, expected: "5 of 305 rows are zero vectors", noise: 5 },
      { input: many, expected: "30 of 330 rows are zero vectors", noise: 0 },
    ];
    for (const { input, expected, noise } of cases) {
      const { code, stderr } = await runCluster([
        input,
        "--features",
        "x0..x7",
        "--metric",
        "cosine",
        "--no-umap",
        "--out",
        out,
      ]);
      assertEquals(code, 0, stderr);
      const warnings = stderr.split("\n").filter((line) =>
        line.startsWith("warning:")
      );
      assertEquals(warnings.length, 1, stderr);
      assertStringIncludes(warnings[0]!, expected);
      assertStringIncludes(warnings[0]!, "--metric cosine");
      assertStringIncludes(warnings[0]!, `${noise} of them are noise`);

      // The counts in the warning match the labels written to --out.
      const labels = readColumn(out, "label");
      const zeroLabels = labels.subarray(300);
      assertEquals(zeroLabels.filter((label) => label < 0).length, noise);
    }

    const euclidean = await runCluster([
      few,
      "--features",
      "x0..x7",
      "--no-umap",
      "--out",
      out,
    ]);
    assertEquals(euclidean.code, 0, euclidean.stderr);
    assert(
      !euclidean.stderr.includes("zero vectors"),
      `warning under euclidean: ${euclidean.stderr}`,
    );
  } finally {
    await Deno.remove(few);
    await Deno.remove(many);
    await Deno.remove(out);
  }
});
