/**
 * Write requests to a data set that is not fitted yet, over HTTP on a
 * loopback server. A data set whose load failed returns 409 with the load
 * error, because a retry cannot help. One that is still fitting returns 503
 * with Retry-After.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "./_assert.ts";
import { startServer, type TestServer } from "./_server.ts";
import { generateSampleCsv } from "../core/dataset/sample.ts";

const TOKEN = "test-token-failed";
const MISSING_PATH = "/tmp/clusterscope-test-missing-input.csv";

function post(
  server: TestServer,
  path: string,
  body?: string,
): Promise<Response> {
  return fetch(`${server.base}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "text/csv",
    },
    body,
  });
}

Deno.test({
  name: "failed data set rejects writes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const server = await startServer([
      {
        name: "gone",
        path: MISSING_PATH,
        load: {},
        fit: {},
      },
      {
        name: "broken",
        bytes: new TextEncoder().encode("id,label\n1,a\n2,b\n"),
        fileName: "broken.csv",
        load: { vectorSpec: { vector: "embedding" } },
        fit: {},
      },
    ], { app: { token: TOKEN } });
    try {
      assertEquals(server.registry.get("gone").status, "failed");
      assertEquals(server.registry.get("broken").status, "failed");

      for (const name of ["gone", "broken"]) {
        const loadError = server.registry.get(name).error!.message;
        const requests = [
          { path: `/api/d/${name}/refit`, body: undefined },
          { path: `/api/d/${name}/rows`, body: 'embedding\n"[1,2]"\n' },
        ];
        for (const { path, body } of requests) {
          await t.step(`POST ${path}`, async () => {
            const response = await post(server, path, body);
            assertEquals(response.status, 409);
            assertEquals(response.headers.get("retry-after"), null);
            const json = await response.json();
            assertEquals(json.status, 409);
            assertStringIncludes(
              json.error,
              `Data set "${name}" failed to load`,
            );
            assertStringIncludes(json.error, loadError.replace(/\.$/, ""));
            assertStringIncludes(json.error, "restart the server");
            assert(
              !/retry/i.test(json.error),
              `message asks for a retry: ${json.error}`,
            );
          });
        }
      }

      const missing = await post(server, "/api/d/gone/refit");
      assertStringIncludes((await missing.json()).error, MISSING_PATH);

      const rejected = server.logs.filter((record) =>
        record.event === "request.rejected" && record.status === 409
      );
      assertEquals(rejected.length, 5);
      assertMatch(String(rejected[0]!.path), /^\/api\/d\/gone\//);
      assert(rejected.every((record) => record.requestId !== undefined));
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "fitting data set asks for retry",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer([
      {
        name: "big",
        bytes: generateSampleCsv(12_000),
        fileName: "big.csv",
        load: {},
        fit: { minClusterSize: 50 },
      },
    ], { wait: false, app: { token: TOKEN } });
    try {
      // Wait until the load is done and the first fit runs in its worker.
      const dataset = server.registry.get("big");
      const deadline = Date.now() + 30_000;
      while (dataset.status === "loading" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assertEquals(dataset.status, "fitting");

      const refit = await post(server, "/api/d/big/refit");
      assertEquals(refit.status, 503);
      assertEquals(refit.headers.get("retry-after"), "2");
      assertStringIncludes((await refit.json()).error, "first fit");

      const rows = await post(server, "/api/d/big/rows", "x\n1\n");
      assertEquals(rows.status, 503);
      assertEquals(rows.headers.get("retry-after"), "2");
      assertStringIncludes((await rows.json()).error, "retry after");
      assertEquals(dataset.status, "fitting");
    } finally {
      await server.close();
    }
  },
});
