/** Tests of the watched file sources: a growing CSV and a folder that receives new files. */
import { assert, assertEquals } from "./_assert.ts";
import { FIXTURES } from "./_fixtures.ts";
import { Dataset } from "../core/dataset/dataset.ts";
import { DatasetRegistry } from "../core/dataset/registry.ts";
import { setLogSink } from "../core/log.ts";
import { FileWatcher } from "../core/stream/file_watch.ts";

const LINES = Deno.readTextFileSync(new URL("reference/blobs_2k.csv", FIXTURES))
  .trim().split("\n");
const HEADER = LINES[0]!;
const ROWS = LINES.slice(1);

function csv(rows: readonly string[], header = true): string {
  return (header ? [HEADER, ...rows] : rows).join("\n") + "\n";
}

function watchedDataset(path: string): Dataset {
  return new Dataset({
    name: "watched",
    path,
    load: { vectorSpec: { features: "x0..x7" } },
    fit: { minClusterSize: 15, nNeighbors: 10 },
    drift: { newRowShare: Infinity, newNoiseShare: Infinity },
  });
}

/**
 * Runs `test` on a temporary CSV of 300 rows, its data set (still loading)
 * and a watcher that polls only when the test calls `poll`, then cleans up.
 */
async function withWatchedCsv(
  test: (path: string, dataset: Dataset, watcher: FileWatcher) => Promise<void>,
): Promise<void> {
  const restore = setLogSink(() => {});
  const folder = await Deno.makeTempDir();
  const path = `${folder}/rows.csv`;
  await Deno.writeTextFile(path, csv(ROWS.slice(0, 300)));
  const dataset = watchedDataset(path);
  const watcher = new FileWatcher(dataset, { file: path, intervalMs: 60_000 });
  try {
    await test(path, dataset, watcher);
  } finally {
    watcher.stop();
    dataset.close();
    setLogSink(restore);
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test({
  name: "file watch appends complete new lines",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withWatchedCsv(async (path, dataset, watcher) => {
      await watcher.start();
      assertEquals(dataset.snapshot!.rowCount, 300);

      // Two complete lines and one half-written line: only the complete ones count.
      const partial = ROWS[302]!.slice(0, 10);
      await Deno.writeTextFile(
        path,
        csv(ROWS.slice(300, 302), false) + partial,
        { append: true },
      );
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 302);

      // The rest of the line arrives.
      await Deno.writeTextFile(path, ROWS[302]!.slice(10) + "\n", {
        append: true,
      });
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 303);
      assertEquals(dataset.store!.inputRows[302], 302);

      // A bad line is skipped and the watcher goes on.
      await Deno.writeTextFile(path, "not,a,row\n", { append: true });
      await watcher.poll();
      await Deno.writeTextFile(path, csv(ROWS.slice(303, 305), false), {
        append: true,
      });
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 305);

      // A rewritten, shorter file counts as new rows from its first line.
      await Deno.writeTextFile(path, csv(ROWS.slice(305, 308)));
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 308);
      assertEquals(dataset.store!.inputRows[307], 307);
    }),
});

Deno.test({
  name: "file watch keeps rows written during first fit",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withWatchedCsv(async (path, dataset, watcher) => {
      // Rows arrive after the load has read the file, while the fit runs.
      while (dataset.store === null && dataset.status !== "failed") {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await Deno.writeTextFile(path, csv(ROWS.slice(300, 305), false), {
        append: true,
      });
      await watcher.start();
      assertEquals(dataset.snapshot!.rowCount, 300);
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 305);
    }),
});

Deno.test({
  name: "folder watch appends new files once stable",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const restore = setLogSink(() => {});
    const folder = await Deno.makeTempDir();
    const incoming = `${folder}/incoming`;
    await Deno.mkdir(incoming);
    await Deno.writeTextFile(`${incoming}/old.csv`, csv(ROWS.slice(500, 510)));
    const path = `${folder}/base.csv`;
    await Deno.writeTextFile(path, csv(ROWS.slice(0, 300)));
    const dataset = await watchedDataset(path);
    const watcher = new FileWatcher(dataset, {
      folder: incoming,
      intervalMs: 60_000,
    });
    try {
      await watcher.start();
      await Deno.writeTextFile(
        `${incoming}/batch1.csv`,
        csv(ROWS.slice(300, 340)),
      );
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 300);
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 340);
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 340);

      // A file written as a header first and rows later is read once it has rows.
      const slow = `${incoming}/batch2.csv`;
      await Deno.writeTextFile(slow, HEADER + "\n");
      await watcher.poll();
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 340);
      await Deno.writeTextFile(slow, csv(ROWS.slice(340, 350), false), {
        append: true,
      });
      await watcher.poll();
      await watcher.poll();
      assertEquals(dataset.snapshot!.rowCount, 350);
    } finally {
      watcher.stop();
      dataset.close();
      setLogSink(restore);
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name: "failed watched data set loads when file appears",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const folder = await Deno.makeTempDir();
    const path = `${folder}/later.csv`;
    const records: Record<string, unknown>[] = [];
    const previousSink = setLogSink((record) => records.push(record));
    const registry = new DatasetRegistry();
    try {
      const failed = registry.add({
        name: "later",
        path,
        load: { vectorSpec: { features: "x0..x7" } },
        fit: { minClusterSize: 15, nNeighbors: 10, umap: false },
        watch: { file: path, intervalMs: 20 },
      });
      await failed.ready;
      assertEquals(failed.status, "failed");

      await Deno.writeTextFile(path, csv(ROWS.slice(0, 300)));
      const deadline = Date.now() + 30_000;
      while (registry.get("later") === failed && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const reloaded = registry.get("later");
      assert(reloaded !== failed, "the data set was not loaded again");
      await reloaded.ready;
      assertEquals(reloaded.status, "ready");
      assertEquals(failed.closed, true);
      assert(
        records.some((record) => record.event === "dataset.reload"),
        "no dataset.reload log line",
      );

      // The new data set watches the file too; let it start before cleanup.
      while (
        !records.some((record) => record.event === "watch.start") &&
        Date.now() < deadline
      ) await new Promise((resolve) => setTimeout(resolve, 20));
      assert(
        records.some((record) => record.event === "watch.start"),
        "the loaded data set does not watch its file",
      );
    } finally {
      registry.close();
      setLogSink(previousSink);
      await Deno.remove(folder, { recursive: true });
    }
  },
});
