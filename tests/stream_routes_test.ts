/**
 * Streaming over HTTP on a loopback server: appends with a token, refits on
 * request, the event stream, and rejected appends that leave the data set as
 * it was. Concurrent appends and refits must keep the row count exact.
 */
import {
  assert,
  assertEquals,
  assertGreater,
  assertStringIncludes,
} from "./_assert.ts";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { FIXTURES } from "./_fixtures.ts";
import { startServer, type TestServer } from "./_server.ts";
import type { DatasetSource } from "../core/dataset/registry.ts";

const TOKEN = "test-token-123";
const LINES = Deno.readTextFileSync(new URL("reference/blobs_2k.csv", FIXTURES))
  .trim().split("\n");
const HEADER = LINES[0]!;
const ROWS = LINES.slice(1);

function csv(rows: readonly string[]): string {
  return [HEADER, ...rows].join("\n") + "\n";
}

function blobsSource(name: string, rows: number): DatasetSource {
  return {
    name,
    bytes: new TextEncoder().encode(csv(ROWS.slice(0, rows))),
    fileName: `${name}.csv`,
    load: { vectorSpec: { features: "x0..x7" } },
    fit: { minClusterSize: 15, nNeighbors: 10 },
    drift: { newRowShare: Infinity, newNoiseShare: Infinity },
  };
}

function append(
  server: TestServer,
  name: string,
  body: BodyInit,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.base}/api/d/${name}/rows`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "text/csv",
      ...headers,
    },
    body,
  });
}

async function waitForIdle(server: TestServer, name: string): Promise<void> {
  const dataset = server.registry.get(name);
  const deadline = Date.now() + 60_000;
  while (dataset.refitting && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assertEquals(dataset.refitting, null);
}

Deno.test({
  name: "append and refit over http",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const server = await startServer([blobsSource("blobs", 400)], {
      app: { token: TOKEN, maxAppendBytes: 64 * 1024 },
    });
    try {
      await t.step("append returns assignments", async () => {
        const etagBefore = (await fetch(`${server.base}/d/blobs/sizes.svg`))
          .headers.get("etag");
        const response = await append(
          server,
          "blobs",
          csv(ROWS.slice(400, 450)),
        );
        assertEquals(response.status, 200);
        const body = await response.json();
        assertEquals(body.rows, 450);
        assertEquals(body.added.length, 50);
        assertEquals(Object.keys(body.added[0]).sort(), [
          "label",
          "outlier_score",
          "probability",
          "row",
          "x",
          "y",
        ]);
        assertEquals(body.added[0].row, 400);
        const after = await fetch(`${server.base}/d/blobs/sizes.svg`);
        await after.body?.cancel();
        assert(
          after.headers.get("etag") !== etagBefore,
          "ETag must change after an append",
        );
      });

      await t.step("ndjson append", async () => {
        const row = ROWS[450]!.split(",").map(Number);
        const record = Object.fromEntries(
          HEADER.split(",").map((name, i) => [name, row[i]]),
        );
        const response = await append(
          server,
          "blobs",
          JSON.stringify(record) + "\n",
          {
            "content-type": "application/x-ndjson",
          },
        );
        assertEquals(response.status, 200);
        assertEquals((await response.json()).rows, 451);
      });

      await t.step("arrow ipc append", async () => {
        const rows = ROWS.slice(453, 463).map((line) =>
          line.split(",").map(Number)
        );
        const columns: Record<string, Float64Array | BigInt64Array> = {};
        HEADER.split(",").forEach((name, c) => {
          columns[name] = name === "truth"
            ? BigInt64Array.from(rows, (row) => BigInt(row[c]!))
            : Float64Array.from(rows, (row) => row[c]!);
        });
        const bytes = new Uint8Array(
          tableToIPC(tableFromArrays(columns), "stream"),
        );
        const response = await append(server, "blobs", bytes, {
          "content-type": "application/vnd.apache.arrow.stream",
        });
        assertEquals(response.status, 200, await response.clone().text());
        const body = await response.json();
        assertEquals(body.added.length, 10);
      });

      await t.step("empty attribute is accepted", async () => {
        const response = await append(
          server,
          "blobs",
          csv([ROWS[452]!.replace(/,[^,]*$/, ",")]),
        );
        assertEquals(response.status, 200, await response.clone().text());
        assertEquals((await response.json()).rows, 462);
      });

      await t.step("bad appends leave the data set unchanged", async () => {
        const dataset = server.registry.get("blobs");
        const version = dataset.snapshot!.version;
        const rows = dataset.snapshot!.rowCount;
        const nanRow = ROWS[500]!.replace(/^[^,]+/, "NaN");
        const cases: [string, Promise<Response>, number, string][] = [
          [
            "missing token",
            fetch(`${server.base}/api/d/blobs/rows`, {
              method: "POST",
              body: csv(ROWS.slice(0, 1)),
            }),
            401,
            "bearer",
          ],
          [
            "wrong token",
            append(server, "blobs", csv(ROWS.slice(0, 1)), {
              authorization: "Bearer nope",
            }),
            401,
            "Invalid bearer",
          ],
          [
            "NaN",
            append(server, "blobs", csv([ROWS[501]!, nanRow])),
            422,
            "NaN",
          ],
          [
            "missing column",
            append(
              server,
              "blobs",
              "x0,x1,x2,x3,x4,x5,x6,x7\n1,2,3,4,5,6,7,8\n",
            ),
            422,
            "truth",
          ],
          [
            "short vector",
            append(server, "blobs", "x0,x1,truth\n1,2,0\n"),
            422,
            "x0..x7",
          ],
          [
            "content type",
            append(server, "blobs", "{}", {
              "content-type": "application/xml",
            }),
            415,
            "application/xml",
          ],
          [
            "too large",
            append(
              server,
              "blobs",
              csv(
                Array.from({ length: 2000 }, (_, i) => ROWS[i % ROWS.length]!),
              ),
            ),
            413,
            "too large",
          ],
          ["empty", append(server, "blobs", HEADER + "\n"), 422, "no rows"],
          [
            "fraction in an integer column",
            append(
              server,
              "blobs",
              csv([ROWS[502]!.replace(/,[^,]*$/, ",1.5")]),
            ),
            422,
            "1.5",
          ],
          [
            "integer overflow",
            append(
              server,
              "blobs",
              csv([ROWS[503]!.replace(/,[^,]*$/, ",92233720368547758070")]),
            ),
            422,
            "truth",
          ],
          [
            "unknown data set",
            append(server, "nope", csv(ROWS.slice(0, 1))),
            404,
            "nope",
          ],
        ];
        for (const [name, request, status, named] of cases) {
          const response = await request;
          const text = await response.text();
          assertEquals(response.status, status, `${name}: ${text}`);
          assertStringIncludes(text.toLowerCase(), named.toLowerCase(), name);
        }
        assertEquals(dataset.snapshot!.version, version);
        assertEquals(dataset.snapshot!.rowCount, rows);
        assertEquals(dataset.store!.rowCount, rows);
      });

      await t.step("refit keeps ids and records history", async () => {
        const etagBefore = (await fetch(`${server.base}/d/blobs/scatter.svg`))
          .headers.get("etag");
        const before =
          await (await fetch(`${server.base}/api/d/blobs/clusters`)).json();
        const response = await fetch(`${server.base}/api/d/blobs/refit`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        assertEquals(response.status, 202);
        await response.body?.cancel();
        await waitForIdle(server, "blobs");
        const history =
          await (await fetch(`${server.base}/api/d/blobs/history`)).json();
        assertEquals(history.refits.length, 2);
        const last = history.refits[1];
        assertEquals(last.reason, "requested through the API");
        const kept = last.mappings.filter((mapping: { kind: string }) =>
          mapping.kind === "kept"
        ).length;
        assertGreater(kept, 0);
        const after = await (await fetch(`${server.base}/api/d/blobs/clusters`))
          .json();
        const chart = await fetch(`${server.base}/d/blobs/scatter.svg`);
        await chart.body?.cancel();
        assert(
          chart.headers.get("etag") !== etagBefore,
          "ETag must change after a refit",
        );
        assertEquals(after.rows, before.rows);
        const beforeIds = new Set(
          before.clusters.map((cluster: { label: number }) =>
            cluster.label
          ),
        );
        const shared = after.clusters.filter((cluster: { label: number }) =>
          beforeIds.has(cluster.label)
        ).length;
        assertGreater(shared, 0);
      });

      await t.step("events stream pushes appends", async () => {
        const controller = new AbortController();
        const timeout = setTimeout(() => controller.abort(), 20_000);
        const response = await fetch(`${server.base}/api/d/blobs/events`, {
          signal: controller.signal,
        });
        assertEquals(
          response.headers.get("content-type")?.split(";")[0],
          "text/event-stream",
        );
        const reader = response.body!.pipeThrough(new TextDecoderStream())
          .getReader();
        let text = "";
        const read = async (until: string) => {
          while (!text.includes(until)) {
            const { value, done } = await reader.read();
            if (done) break;
            text += value;
          }
        };
        await read("event: hello");
        const appended = await append(
          server,
          "blobs",
          csv(ROWS.slice(600, 610)),
        );
        await appended.body?.cancel();
        await read("event: rows");
        assertStringIncludes(text, '"added":10');
        clearTimeout(timeout);
        controller.abort();
        await reader.cancel().catch(() => {});
      });
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "concurrent appends and refits keep every row once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer([blobsSource("race", 300)], {
      app: { token: TOKEN },
    });
    try {
      const requests: Promise<Response>[] = [];
      for (let batch = 0; batch < 20; batch++) {
        const rows = ROWS.slice(300 + batch * 20, 320 + batch * 20);
        requests.push(append(server, "race", csv(rows)));
        if (batch % 5 === 0) {
          requests.push(
            fetch(`${server.base}/api/d/race/refit`, {
              method: "POST",
              headers: { authorization: `Bearer ${TOKEN}` },
            }),
          );
        }
        requests.push(fetch(`${server.base}/api/d/race/points?format=json`));
      }
      const responses = await Promise.all(requests);
      for (const response of responses) {
        assert(
          response.status === 200 || response.status === 202,
          `status ${response.status}`,
        );
        await response.body?.cancel();
      }
      await waitForIdle(server, "race");

      const points =
        await (await fetch(`${server.base}/api/d/race/points?format=json`))
          .json();
      assertEquals(points.length, 700);
      const rows = points.map((point: { row: number }) => point.row);
      assertEquals(new Set(rows).size, 700);
      const dataset = server.registry.get("race");
      assertEquals(new Set(dataset.store!.inputRows).size, 700);
      assertEquals(dataset.snapshot!.rowCount, 700);
      assertEquals(dataset.snapshot!.labels.length, dataset.store!.rowCount);
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "writes disabled without a token",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer([blobsSource("closed", 100)]);
    try {
      const response = await append(
        server,
        "closed",
        csv(ROWS.slice(100, 101)),
      );
      assertEquals(response.status, 403);
      assertStringIncludes(await response.text(), "CLUSTERSCOPE_TOKEN");
    } finally {
      await server.close();
    }
  },
});
