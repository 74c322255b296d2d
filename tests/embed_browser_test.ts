/**
 * Embedding in a real browser. Starts clusterscope on 127.0.0.1 with one
 * allowed frame ancestor, and two host pages on other ports (so other
 * origins): the allowed one and one that is not allowed. Each host page
 * embeds the dashboard in an iframe and a chart in an <img>. Debian's
 * headless Chromium runs the pages, driven over the DevTools protocol on a
 * loopback WebSocket. The test checks that the allowed origin shows the
 * dashboard and the other origin's frame is blocked by frame-ancestors. It
 * also checks that images load from both, and that the themes look as
 * intended. Screenshots go to tests/output/.
 *
 * Chromium comes from /usr/bin/chromium, or from $CHROMIUM. Without it the
 * test fails, because a skipped browser test would hide broken embedding.
 */
import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertStringIncludes,
} from "./_assert.ts";
import { report } from "./_report.ts";
import { DatasetRegistry } from "../core/dataset/registry.ts";
import { generateSampleCsv, SAMPLE_NAME } from "../core/dataset/sample.ts";
import { setLogSink } from "../core/log.ts";
import { createApp } from "../routes/app.ts";
import {
  type Browser,
  childFrames,
  evaluate,
  launchChromium,
  navigate,
  openPage,
  OUTPUT,
  screenshot,
  stopChromium,
} from "./_browser.ts";

/** Serves a host page that embeds clusterscope's dashboard and scatter chart. */
function startHostPage(appOrigin: () => string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, (request) => {
    const url = new URL(request.url);
    const theme = url.searchParams.get("theme") ?? "light";
    const width = url.searchParams.get("width") ?? "960";
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host page</title></head>
<body style="margin:8px;background:#f0f0f0">
<iframe id="dashboard" src="${appOrigin()}/embed/d/sample?theme=${theme}" width="${width}" height="560" style="border:0"></iframe>
<img id="chart" src="${appOrigin()}/d/sample/scatter.svg?theme=${
      theme === "dark" ? "dark" : "light"
    }" width="640" height="400" alt="Clusters">
</body></html>`;
    return new Response(html, {
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  });
}

function originOf(server: Deno.HttpServer<Deno.NetAddr>): string {
  return `http://127.0.0.1:${server.addr.port}`;
}

// ---------------------------------------------------------------------------
// The test

Deno.test({
  name: "embedding in chromium",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const previousSink = setLogSink(() => {});
    await Deno.mkdir(OUTPUT, { recursive: true });
    const registry = new DatasetRegistry();
    registry.add({
      name: SAMPLE_NAME,
      bytes: generateSampleCsv(),
      fileName: "sample.csv",
      load: {},
      fit: { minClusterSize: 40 },
    });

    let appOrigin = "";
    const allowedHost = startHostPage(() => appOrigin);
    const otherHost = startHostPage(() => appOrigin);
    let app: Deno.HttpServer<Deno.NetAddr> | null = null;
    let browser: Browser | null = null;
    try {
      // Chromium starts first, so that a missing browser fails at once.
      browser = await launchChromium();
      await registry.settled();
      app = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen: () => {} },
        createApp({ registry, frameAncestors: [originOf(allowedHost)] }).fetch,
      );
      appOrigin = originOf(app);
      const { devtools } = browser;
      const page = await openPage(devtools);

      await t.step("allowed origin shows the dashboard", async () => {
        await navigate(devtools, page, `${originOf(allowedHost)}/?theme=light`);
        const [frame] = await childFrames(devtools, page);
        assert(frame !== undefined, "no iframe in the host page");
        assertStringIncludes(frame.url, `${appOrigin}/embed/d/sample`);
        assertEquals(frame.unreachableUrl, undefined);
        const title = await evaluate<string>(
          devtools,
          page,
          "document.title",
          frame.id,
        );
        assertEquals(title, "sample · clusterscope");
        const charts = await evaluate<number>(
          devtools,
          page,
          "document.querySelectorAll('figure.chart svg').length",
          frame.id,
        );
        assertEquals(charts, 2);
        await screenshot(devtools, page, "embed-light.png");
      });

      await t.step("image loads from the allowed origin", async () => {
        const width = await evaluate<number>(
          devtools,
          page,
          "document.getElementById('chart').naturalWidth",
        );
        assertGreater(width, 0);
      });

      await t.step("charts fit the frame width", async () => {
        await navigate(devtools, page, `${originOf(allowedHost)}/?width=420`);
        const [frame] = await childFrames(devtools, page);
        const sizes = await evaluate<number[]>(
          devtools,
          page,
          `[document.documentElement.clientWidth, ...Array.from(document.querySelectorAll('figure.chart svg'), (svg) => svg.getBoundingClientRect().width)]`,
          frame!.id,
        );
        const [frameWidth, ...chartWidths] = sizes;
        assertEquals(chartWidths.length, 2);
        for (const chartWidth of chartWidths) {
          assertLess(chartWidth, frameWidth! + 0.5);
          assertGreater(chartWidth, frameWidth! * 0.8);
        }
      });

      await t.step("dark theme", async () => {
        await navigate(devtools, page, `${originOf(allowedHost)}/?theme=dark`);
        const [frame] = await childFrames(devtools, page);
        const background = await evaluate<string>(
          devtools,
          page,
          "getComputedStyle(document.body).backgroundColor",
          frame!.id,
        );
        assertEquals(background, "rgb(13, 17, 23)");
        await screenshot(devtools, page, "embed-dark.png");
      });

      await t.step("auto theme follows the reader", async () => {
        const colours = async () => {
          const [frame] = await childFrames(devtools, page);
          return await evaluate<string[]>(
            devtools,
            page,
            `(() => {
              const svg = document.querySelector('figure.chart svg');
              const background = svg.querySelector(':scope > rect');
              return [
                getComputedStyle(document.body).backgroundColor,
                getComputedStyle(svg).fill,
                getComputedStyle(background).fill,
              ];
            })()`,
            frame!.id,
          );
        };
        await devtools.send("Emulation.setEmulatedMedia", {
          features: [{ name: "prefers-color-scheme", value: "dark" }],
        }, page.sessionId);
        await navigate(devtools, page, `${originOf(allowedHost)}/?theme=auto`);
        assertEquals(await colours(), [
          "rgb(13, 17, 23)",
          "rgb(230, 237, 243)",
          "rgb(13, 17, 23)",
        ]);
        await screenshot(devtools, page, "embed-auto-dark.png");

        await devtools.send("Emulation.setEmulatedMedia", {
          features: [{ name: "prefers-color-scheme", value: "light" }],
        }, page.sessionId);
        await navigate(devtools, page, `${originOf(allowedHost)}/?theme=auto`);
        assertEquals(await colours(), [
          "rgb(255, 255, 255)",
          "rgb(31, 35, 40)",
          "rgb(255, 255, 255)",
        ]);
        await screenshot(devtools, page, "embed-auto-light.png");
      });

      await t.step("other origin is blocked", async () => {
        await navigate(devtools, page, `${originOf(otherHost)}/`);
        const [frame] = await childFrames(devtools, page);
        assert(frame !== undefined, "no iframe in the host page");
        // Chromium replaces a blocked frame's document with its error page.
        assert(
          !frame.url.startsWith(appOrigin),
          `blocked frame shows ${frame.url}`,
        );
        const violation = page.messages.find((text) =>
          text.includes("frame-ancestors")
        );
        assert(violation !== undefined, page.messages.join("\n"));
        assertStringIncludes(violation, originOf(allowedHost));
        report(`blocked frame: ${frame.url}; console: ${violation}`);
        const width = await evaluate<number>(
          devtools,
          page,
          "document.getElementById('chart').naturalWidth",
        );
        assertGreater(width, 0);
        await screenshot(devtools, page, "embed-blocked.png");
      });

      await t.step("copy buttons run under the CSP", async () => {
        await navigate(devtools, page, `${appOrigin}/d/sample`);
        const state = await evaluate<{ hidden: boolean; status: string }>(
          devtools,
          page,
          `(async () => {
            const details = document.querySelector('details.embed-code');
            details.open = true;
            const button = details.querySelector('button.copy');
            const hidden = button.hidden;
            button.click();
            await new Promise((resolve) => setTimeout(resolve, 300));
            const status = details.querySelector('.copy-status');
            return { hidden, status: status ? status.textContent : '' };
          })()`,
        );
        assertEquals(state.hidden, false);
        assert(state.status !== "", "the Copy button showed no status");
        const blocked = page.messages.filter((text) =>
          text.includes("Content Security Policy")
        );
        assertEquals(blocked, []);
        await screenshot(devtools, page, "dashboard.png");
      });

      report(`browser screenshots in ${OUTPUT.pathname}`);
    } finally {
      if (browser) await stopChromium(browser);
      await allowedHost.shutdown();
      await otherHost.shutdown();
      await app?.shutdown();
      registry.close();
      await registry.settled();
      setLogSink(previousSink);
    }
  },
});
