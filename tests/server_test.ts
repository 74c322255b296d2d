/**
 * Route tests against a real server on a loopback port: every route's status
 * and content type, SVG that parses, and cluster counts that agree between
 * the JSON summary, the points and the pages.
 */
import { tableFromIPC } from "apache-arrow";
import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertMatch,
  assertStringIncludes,
} from "./_assert.ts";
import { elementsOf, parseXml } from "./_xml.ts";
import { startServer, type TestServer } from "./_server.ts";
import { generateSampleCsv, SAMPLE_NAME } from "../core/dataset/sample.ts";

const encoder = new TextEncoder();

/** Eight points in one tight group, too few for the default min_cluster_size. */
const TINY_CSV = "id,score,embedding\n" +
  Array.from(
    { length: 8 },
    (_, i) => `${i},${i * 1.5},"[${(i % 3) * 0.01},${(i % 2) * 0.01}]"`,
  ).join("\n") + "\n";

let server: TestServer;

async function get(path: string, init?: RequestInit): Promise<Response> {
  return await fetch(server.base + path, init);
}

async function getText(
  path: string,
): Promise<{ response: Response; text: string }> {
  const response = await get(path);
  return { response, text: await response.text() };
}

function checkSvg(text: string): void {
  const tree = parseXml(text);
  assertEquals(tree.name, "svg");
  assertEquals(elementsOf(tree, "title").length > 0, true);
  assert(!/href="https?:/.test(text), "SVG references an external URL");
}

Deno.test({
  name: "server routes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    server = await startServer([
      {
        name: SAMPLE_NAME,
        bytes: generateSampleCsv(),
        fileName: "sample.csv",
        load: {},
        fit: { minClusterSize: 40 },
      },
      {
        name: "tiny",
        bytes: encoder.encode(TINY_CSV),
        fileName: "tiny.csv",
        load: {},
        fit: {},
      },
      {
        name: "typed",
        path: "tests/fixtures/load/typed.csv",
        load: {},
        fit: { minClusterSize: 2 },
      },
      {
        name: "typedpq",
        path: "tests/fixtures/load/typed.parquet",
        load: {},
        fit: { minClusterSize: 2 },
      },
      {
        name: "missing",
        path: "tests/fixtures/does-not-exist.csv",
        load: {},
        fit: {},
      },
    ]);
    try {
      await t.step("index lists data sets", async () => {
        const { response, text } = await getText("/");
        assertEquals(response.status, 200);
        assertStringIncludes(
          response.headers.get("content-type") ?? "",
          "text/html",
        );
        for (const name of ["sample", "tiny", "typed", "missing"]) {
          assertStringIncludes(text, `/d/${name}`);
        }
        assertStringIncludes(text, "failed");
      });

      await t.step("wrong method gets 405 with allow", async () => {
        const refit = await get("/api/d/sample/refit");
        assertEquals(refit.status, 405);
        assertEquals(refit.headers.get("allow"), "POST");
        assertStringIncludes((await refit.json()).error, "use POST");
        const chart = await get("/d/sample/scatter.svg", { method: "POST" });
        assertEquals(chart.status, 405);
        assertEquals(chart.headers.get("allow"), "GET, HEAD");
        await chart.body?.cancel();
        const nowhere = await get("/no/such/page", { method: "POST" });
        assertEquals(nowhere.status, 404);
        await nowhere.body?.cancel();
      });

      await t.step("healthz", async () => {
        const response = await get("/healthz");
        assertEquals(response.status, 200);
        const body = await response.json();
        assertEquals(body.status, "ok");
        assertEquals(body.datasets.length, 5);
      });

      let clusterCount = 0;
      await t.step("clusters api matches points", async () => {
        const response = await get("/api/d/sample/clusters");
        assertEquals(response.status, 200);
        assertStringIncludes(
          response.headers.get("content-type") ?? "",
          "application/json",
        );
        const summary = await response.json();
        clusterCount = summary.clusterCount;
        assertGreater(clusterCount, 2);
        assertEquals(summary.rows, 2400);

        const points = await (await get("/api/d/sample/points?format=json"))
          .json();
        assertEquals(points.length, 2400);
        const labels = new Set(
          points.map((p: { label: number }) => p.label).filter((l: number) =>
            l >= 0
          ),
        );
        assertEquals(labels.size, clusterCount);
        const sizes = summary.clusters.reduce(
          (sum: number, c: { size: number }) => sum + c.size,
          0,
        );
        assertEquals(sizes, 2400);
      });

      await t.step("points as arrow and csv", async () => {
        const arrow = await get("/api/d/sample/points");
        assertEquals(
          arrow.headers.get("content-type"),
          "application/vnd.apache.arrow.stream",
        );
        const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
        assertEquals(table.numRows, 2400);
        assertEquals(table.schema.fields.map((f) => f.name), [
          "row",
          "label",
          "probability",
          "outlier_score",
          "x",
          "y",
        ]);

        const { response, text } = await getText(
          "/api/d/sample/points?format=csv",
        );
        assertStringIncludes(
          response.headers.get("content-type") ?? "",
          "text/csv",
        );
        const lines = text.trim().split("\n");
        assertEquals(lines[0], "row,label,probability,outlier_score,x,y");
        assertEquals(lines.length, 2401);
      });

      await t.step("dashboard page", async () => {
        const { response, text } = await getText("/d/sample");
        assertEquals(response.status, 200);
        assertStringIncludes(
          response.headers.get("content-type") ?? "",
          "text/html",
        );
        assertEquals((text.match(/<svg/g) ?? []).length, 2);
        for (let label = 0; label < clusterCount; label++) {
          assertStringIncludes(text, `/d/sample/clusters/${label}"`);
        }
      });

      await t.step("drilldown pages", async () => {
        for (const label of [0, clusterCount - 1, -1]) {
          const { response, text } = await getText(
            `/d/sample/clusters/${label}`,
          );
          assertEquals(response.status, 200, `cluster ${label}`);
          assertStringIncludes(text, "activity");
          assertStringIncludes(text, "channel");
        }
        const noise = await getText("/d/sample/clusters/noise");
        assertEquals(noise.response.status, 200);
      });

      await t.step("every chart is standalone svg", async () => {
        const charts = [
          "/d/sample/scatter.svg",
          "/d/sample/sizes.svg?width=300&height=200",
          "/d/sample/histogram.svg?column=activity&cluster=0",
          "/d/sample/histogram.svg?column=signup_date&cluster=-1",
          "/d/sample/top-values.svg?column=channel&cluster=1&theme=dark",
        ];
        for (const path of charts) {
          const { response, text } = await getText(path);
          assertEquals(response.status, 200, path);
          assertEquals(
            response.headers.get("content-type"),
            "image/svg+xml; charset=utf-8",
            path,
          );
          checkSvg(text);
        }
      });

      await t.step("chart etag gives 304", async () => {
        const first = await get("/d/sample/sizes.svg");
        await first.body?.cancel();
        const etag = first.headers.get("etag");
        assert(etag);
        const second = await get("/d/sample/sizes.svg", {
          headers: { "if-none-match": etag },
        });
        assertEquals(second.status, 304);
        await second.body?.cancel();
        const other = await get("/d/sample/sizes.svg?width=300");
        await other.body?.cancel();
        assert(other.headers.get("etag") !== etag);
      });

      await t.step("bad chart requests", async () => {
        const cases: [string, number, string][] = [
          ["/d/sample/scatter.svg?widht=300", 400, "widht"],
          ["/d/sample/scatter.svg?width=abc", 400, "width"],
          ["/d/sample/histogram.svg?column=nope&cluster=0", 404, "nope"],
          [
            "/d/sample/histogram.svg?column=channel&cluster=0",
            400,
            "top-values",
          ],
          ["/d/sample/histogram.svg?column=activity", 400, "cluster"],
          ["/d/sample/histogram.svg?column=activity&cluster=999", 404, "999"],
          ["/d/sample/pie.svg", 404, "pie.svg"],
          ["/d/nope/scatter.svg", 404, "nope"],
          ["/d/sample/clusters/abc", 400, "abc"],
          ["/d/sample/clusters/999", 404, "999"],
          ["/api/d/sample/points?format=xml", 400, "xml"],
          ["/api/d/..%2F..%2Fetc/clusters", 404, "not found"],
        ];
        for (const [path, status, named] of cases) {
          const { response, text } = await getText(path);
          assertEquals(response.status, status, path);
          assertStringIncludes(text, named, path);
        }
      });

      await t.step("failed data set keeps others serving", async () => {
        const page = await getText("/d/missing");
        assertEquals(page.response.status, 422);
        assertStringIncludes(page.text, "does-not-exist.csv");
        const api = await get("/api/d/missing/clusters");
        assertEquals(api.status, 422);
        assertStringIncludes((await api.json()).error, "failed to load");
        assertEquals((await get("/api/d/sample/clusters")).status, 200);
      });

      await t.step("all-noise data set renders with a note", async () => {
        const summary = await (await get("/api/d/tiny/clusters")).json();
        assertEquals(summary.clusterCount, 0);
        assertEquals(summary.noise, 8);
        const { response, text } = await getText("/d/tiny");
        assertEquals(response.status, 200);
        assertStringIncludes(text, "fewer than min_cluster_size");
        const scatter = await getText("/d/tiny/scatter.svg");
        assertEquals(scatter.response.status, 200);
        checkSvg(scatter.text);
        assertEquals((await get("/d/tiny/clusters/-1")).status, 200);
        const warning = server.logs.find((record) =>
          record.event === "dataset.all_noise" && record.dataset === "tiny"
        );
        assert(warning, "no dataset.all_noise log line for tiny");
        assertStringIncludes(String(warning.hint), "lower min_cluster_size");
      });

      await t.step("odd columns and exact bigint", async () => {
        const { response, text } = await getText("/d/typed/clusters/-1");
        assertEquals(response.status, 200);
        assertStringIncludes(text, "channel name");
        const top = await getText(
          `/d/typed/top-values.svg?column=${
            encodeURIComponent("id")
          }&cluster=-1`,
        );
        assertEquals(top.response.status, 200);
        assertStringIncludes(top.text, "9007199254740993");
        const quoted = await get(
          `/d/typed/top-values.svg?column=${
            encodeURIComponent('quote"d ü')
          }&cluster=-1`,
        );
        assertEquals(quoted.status, 200);
        checkSvg(await quoted.text());
        assertStringIncludes(text, "9007199254740993");
      });

      await t.step("cluster json keeps exact values", async () => {
        const response = await get("/api/d/typed/clusters/-1");
        assertEquals(response.status, 200);
        const body = await response.json();
        const id = body.columns.find((column: { name: string }) =>
          column.name === "id"
        );
        assertEquals(id.cluster.maxExact, "9007199254740993");

        // DECIMAL keeps its digits where a double would round them.
        const parquet = await (await get("/api/d/typedpq/clusters/-1")).json();
        const amount = parquet.columns.find((column: { name: string }) =>
          column.name === "amount"
        );
        assertEquals(amount.type, "DECIMAL(18,4)");
        assertEquals(amount.cluster.maxExact, "12345678901234.5678");
        const channel = body.columns.find((column: { name: string }) =>
          column.name === "channel name"
        );
        assertEquals(channel.kind, "categorical");
        assertEquals(channel.top[0].value, "organic search");
        const day = body.columns.find((column: { name: string }) =>
          column.name === "day"
        );
        assertEquals(day.min, "2024-01-31");

        const sample = await get("/api/d/sample/clusters/0");
        assertEquals(sample.status, 200);
        const profile = await sample.json();
        assertEquals(profile.label, 0);
        assertGreater(profile.size, 0);
        assertEquals((await get("/api/d/sample/clusters/999")).status, 404);
      });

      await t.step("errors are logged with request ids", () => {
        const rejected = server.logs.filter((record) =>
          record.event === "request.rejected"
        );
        assertGreater(rejected.length, 5);
        assert(
          rejected.every((record) => typeof record.requestId === "string"),
        );
      });
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "server answers while fitting",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    server = await startServer([
      {
        name: "big",
        bytes: generateSampleCsv(12_000),
        fileName: "big.csv",
        load: {},
        fit: { minClusterSize: 50 },
      },
    ], { wait: false });
    try {
      // Wait until the load is done and the fit runs in its worker.
      const deadline = Date.now() + 30_000;
      while (
        server.registry.get("big").status === "loading" && Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assertEquals(server.registry.get("big").status, "fitting");

      const started = performance.now();
      const { response, text } = await getText("/d/big");
      assertLess(performance.now() - started, 2000);
      assertEquals(response.status, 200);
      assertMatch(text, /being fitted/);

      const api = await get("/api/d/big/clusters");
      assertEquals(api.status, 503);
      assertEquals(api.headers.get("retry-after"), "2");
      const body = await api.json();
      assertEquals(body.status, "fitting");

      const health = await get("/healthz");
      assertEquals(health.status, 200);
      await health.body?.cancel();
    } finally {
      await server.close();
    }
  },
});
