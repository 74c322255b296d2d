/**
 * Tests of the streaming core: stable cluster ids, placement of new rows into
 * a fitted model, and a data set that grows batch by batch.
 */
import { assert, assertEquals, assertGreater } from "./_assert.ts";
import { adjustedRandIndex } from "./_ari.ts";
import { FIXTURES } from "./_fixtures.ts";
import { report } from "./_report.ts";
import { Dataset } from "../core/dataset/dataset.ts";
import { resolveFitParams } from "../core/fit/params.ts";
import { fitModel } from "../core/fit/pipeline.ts";
import { setLogSink } from "../core/log.ts";
import { createFittedModel, placeRows } from "../core/stream/fitted_model.ts";
import { matchClusters } from "../core/stream/match_clusters.ts";
import type { DatasetEvent } from "../core/stream/events.ts";

const BLOBS_LINES = Deno.readTextFileSync(
  new URL("reference/blobs_2k.csv", FIXTURES),
).trim().split("\n");
const BLOBS_HEADER = BLOBS_LINES[0]!;
const BLOBS_ROWS = BLOBS_LINES.slice(1);

function blobsVectors(
  rows: readonly string[],
): { data: Float32Array; n: number; dim: number } {
  const dim = 8;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((line, i) =>
    line.split(",").slice(0, dim).forEach((cell, c) =>
      data[i * dim + c] = Number(cell)
    )
  );
  return { data, n: rows.length, dim };
}

function csvBytes(rows: readonly string[]): Uint8Array {
  return new TextEncoder().encode([BLOBS_HEADER, ...rows].join("\n") + "\n");
}

function nextEvent(
  dataset: Dataset,
  type: DatasetEvent["type"],
): Promise<DatasetEvent> {
  return new Promise((resolve) => {
    const stop = dataset.events.subscribe((event) => {
      if (event.type !== type) return;
      stop();
      resolve(event);
    });
  });
}

Deno.test("matchClusters keeps a cluster that stays", () => {
  const old = Int32Array.from([7, 7, 7, 7, 9, 9, 9, -1]);
  const next = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, -1, 1]);
  const match = matchClusters(old, next, 2, 10);
  assertEquals(Array.from(match.stableIds), [7, 9]);
  assertEquals(match.nextId, 10);
  assert(match.mappings.every((mapping) => mapping.kind === "kept"));
});

Deno.test("matchClusters gives a split new ids", () => {
  const old = Int32Array.from([3, 3, 3, 3, 3, 3, 3, 3]);
  const next = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
  const match = matchClusters(old, next, 2, 4);
  assertEquals(Array.from(match.stableIds), [4, 5]);
  assertEquals(
    match.mappings.filter((mapping) => mapping.kind === "split").length,
    2,
  );
  assertEquals(
    match.mappings.find((mapping) => mapping.kind === "gone"),
    undefined,
  );
});

Deno.test("matchClusters gives a merge a new id", () => {
  const old = Int32Array.from([1, 1, 1, 1, 2, 2, 2, 2, 5, 5]);
  const next = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  const match = matchClusters(old, next, 2, 6);
  assertEquals(match.stableIds[0], 6);
  assertEquals(match.stableIds[1], 5);
  const merged = match.mappings.find((mapping) => mapping.kind === "merged");
  assertEquals(merged?.from, [1, 2]);
});

Deno.test("matchClusters reports gone and new", () => {
  const old = Int32Array.from([0, 0, 0, -1, -1, -1]);
  const next = Int32Array.from([-1, -1, -1, 0, 0, 0]);
  const match = matchClusters(old, next, 1, 1);
  assertEquals(match.stableIds[0], 1);
  assertEquals(match.mappings.map((mapping) => mapping.kind).sort(), [
    "gone",
    "new",
  ]);
});

Deno.test("placeRows refinds fitted clusters", () => {
  const params = resolveFitParams({ minClusterSize: 15, umap: false });
  const train = blobsVectors(BLOBS_ROWS.slice(0, 1500));
  const fit = fitModel(train, params);
  const ids = Int32Array.from({ length: fit.clusterCount }, (_, i) => i);
  const model = createFittedModel(fit, train, params, ids);

  // Held-out rows land where a fit of everything puts them.
  const heldOut = blobsVectors(BLOBS_ROWS.slice(1500));
  const placed = placeRows(model, heldOut, 1);
  const full = fitModel(blobsVectors(BLOBS_ROWS), params);
  const ari = adjustedRandIndex(placed.labels, full.labels.subarray(1500));
  report(
    `approximate prediction vs full fit on 500 held-out rows: ARI ${
      ari.toFixed(4)
    }`,
  );
  assertGreater(ari, 0.9);
  assert(placed.probabilities.every((p) => p >= 0 && p <= 1));
  assert(placed.outlierScores.every((s) => s >= 0 && s <= 1));
  assertEquals(placed.positions, null);
});

Deno.test({
  name: "dataset streamed in batches matches a batch fit",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const restore = setLogSink(() => {});
    const fitInput = { minClusterSize: 15, nNeighbors: 10 };
    const dataset = new Dataset({
      name: "blobs",
      bytes: csvBytes(BLOBS_ROWS.slice(0, 200)),
      fileName: "blobs.csv",
      load: { vectorSpec: { features: "x0..x7" } },
      fit: fitInput,
      drift: { newRowShare: Infinity, newNoiseShare: Infinity },
    });
    try {
      await dataset.ready;
      assertEquals(dataset.status, "ready");

      // Nine appends of 200 rows; old rows never move.
      for (let batch = 1; batch < 10; batch++) {
        const before = dataset.snapshot!;
        const result = await dataset.append(
          csvBytes(BLOBS_ROWS.slice(batch * 200, (batch + 1) * 200)),
          "csv",
        );
        assertEquals(result.added.length, 200);
        assertEquals(result.added[0]!.row, batch * 200);
        const after = dataset.snapshot!;
        assertEquals(after.rowCount, (batch + 1) * 200);
        assertEquals(after.labels.subarray(0, before.rowCount), before.labels);
        assertEquals(
          after.layout!.subarray(0, before.rowCount * 2),
          before.layout,
        );
      }

      const batchFit = fitModel(
        blobsVectors(BLOBS_ROWS),
        resolveFitParams(fitInput),
      );
      const streamed = adjustedRandIndex(
        dataset.snapshot!.labels,
        batchFit.labels,
      );
      report(
        `streamed in 10 batches, before the final refit: ARI ${
          streamed.toFixed(4)
        } against a batch fit`,
      );

      // The final refit matches the batch fit.
      const finished = nextEvent(dataset, "refit-finished");
      dataset.requestRefit("test");
      await finished;
      const refitted = adjustedRandIndex(
        dataset.snapshot!.labels,
        batchFit.labels,
      );
      report(`after the final refit: ARI ${refitted.toFixed(4)}`);
      assertGreater(refitted, 0.95);
      assertEquals(dataset.history.length, 2);
      assertEquals(dataset.history[1]!.reason, "test");
    } finally {
      dataset.close();
      setLogSink(restore);
    }
  },
});

Deno.test({
  name: "drift starts a refit",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const restore = setLogSink(() => {});
    const dataset = new Dataset({
      name: "drift",
      bytes: csvBytes(BLOBS_ROWS.slice(0, 400)),
      fileName: "drift.csv",
      load: { vectorSpec: { features: "x0..x7" } },
      fit: { minClusterSize: 15, nNeighbors: 10 },
      drift: { newRowShare: 0.25 },
    });
    try {
      await dataset.ready;

      // 80 rows are 20% of the model: no refit yet.
      await dataset.append(csvBytes(BLOBS_ROWS.slice(400, 480)), "csv");
      assertEquals(dataset.refitting, null);

      // 40 more reach 30%, past the 25% threshold.
      const finished = nextEvent(dataset, "refit-finished");
      await dataset.append(csvBytes(BLOBS_ROWS.slice(480, 520)), "csv");
      assert(dataset.refitting !== null, "a refit should have started");
      await finished;
      assertEquals(dataset.history.length, 2);
      assert(
        dataset.history[1]!.reason.includes("appended rows"),
        dataset.history[1]!.reason,
      );
      assertEquals(dataset.snapshot!.rowCount, 520);
      assertEquals(dataset.model!.rowCount, 520);
    } finally {
      dataset.close();
      setLogSink(restore);
    }
  },
});
