/**
 * Live dashboards in a real browser: a dashboard open in headless Chromium
 * shows appended rows without a reload by hand, through the event stream.
 */
import { assert, assertStringIncludes } from "./_assert.ts";
import {
  evaluate,
  launchChromium,
  navigate,
  openPage,
  stopChromium,
} from "./_browser.ts";
import { FIXTURES } from "./_fixtures.ts";
import { startServer } from "./_server.ts";

const TOKEN = "live-token";
const LINES = Deno.readTextFileSync(new URL("reference/blobs_2k.csv", FIXTURES))
  .trim().split("\n");

function csv(rows: readonly string[]): string {
  return [LINES[0]!, ...rows].join("\n") + "\n";
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

Deno.test({
  name: "dashboard follows appends in chromium",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer([{
      name: "live",
      bytes: new TextEncoder().encode(csv(LINES.slice(1, 301))),
      fileName: "live.csv",
      load: { vectorSpec: { features: "x0..x7" } },
      fit: { minClusterSize: 15, nNeighbors: 10 },
      drift: { newRowShare: Infinity, newNoiseShare: Infinity },
    }], { app: { token: TOKEN } });
    const browser = await launchChromium();
    try {
      const page = await openPage(browser.devtools);
      await navigate(browser.devtools, page, `${server.base}/d/live`);
      const facts = () =>
        evaluate<string>(
          browser.devtools,
          page,
          `document.querySelector(".facts")?.textContent ?? ""`,
        );
      assertStringIncludes(await facts(), "300 rows");
      const connected = await waitUntil(
        async () =>
          (await evaluate<string>(
            browser.devtools,
            page,
            `document.querySelector(".live-status")?.textContent ?? ""`,
          )).startsWith("Live"),
        10_000,
      );
      assert(connected, "the page never connected to the event stream");

      const response = await fetch(`${server.base}/api/d/live/rows`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "text/csv",
        },
        body: csv(LINES.slice(301, 351)),
      });
      assert(response.ok, `append failed with ${response.status}`);
      await response.body?.cancel();

      const updated = await waitUntil(
        async () => (await facts()).includes("350 rows"),
        10_000,
      );
      assert(updated, `the dashboard still says: ${await facts()}`);
    } finally {
      await stopChromium(browser);
      await server.close();
    }
  },
});
