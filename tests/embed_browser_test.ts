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

const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
const OUTPUT = new URL("./output/", import.meta.url);

/** Upper bound of one DevTools call or page load. */
const STEP_TIMEOUT_MS = 20_000;
/** Upper bound of Chromium's start, until it writes its DevTools port. */
const LAUNCH_TIMEOUT_MS = 20_000;

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
  "--remote-debugging-address=127.0.0.1",
  "--remote-debugging-port=0",
];

// ---------------------------------------------------------------------------
// A minimal DevTools protocol client

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

type CdpListener = (
  params: Record<string, unknown>,
  sessionId?: string,
) => void;

/** One WebSocket connection to the browser, with flat sessions per page. */
class DevTools {
  #socket: WebSocket;
  #nextId = 1;
  #pending = new Map<
    number,
    {
      resolve: (value: Record<string, unknown>) => void;
      reject: (error: Error) => void;
    }
  >();
  #listeners = new Map<string, Set<CdpListener>>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.onmessage = (event) => this.#receive(JSON.parse(event.data));
    socket.onclose = () => {
      for (const { reject } of this.#pending.values()) {
        reject(new Error("DevTools connection closed"));
      }
      this.#pending.clear();
    };
  }

  static async connect(url: string): Promise<DevTools> {
    const socket = new WebSocket(url);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.onopen = () => resolve();
        socket.onerror = () =>
          reject(new Error(`WebSocket to ${url} failed to open`));
      }),
      STEP_TIMEOUT_MS,
      `connecting to DevTools at ${url}`,
    );
    return new DevTools(socket);
  }

  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const message: CdpMessage = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    const result = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#socket.send(JSON.stringify(message));
    return withTimeout(result, STEP_TIMEOUT_MS, method);
  }

  on(method: string, listener: CdpListener): () => void {
    let listeners = this.#listeners.get(method);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(method, listeners);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Waits for the next event of `method` in a session that `accept` accepts. */
  waitFor(
    method: string,
    sessionId: string,
    accept: (params: Record<string, unknown>) => boolean = () => true,
  ): Promise<Record<string, unknown>> {
    return withTimeout(
      new Promise((resolve) => {
        const stop = this.on(method, (params, eventSession) => {
          if (eventSession !== sessionId || !accept(params)) return;
          stop();
          resolve(params);
        });
      }),
      STEP_TIMEOUT_MS,
      `waiting for ${method}`,
    );
  }

  close(): void {
    this.#socket.close();
  }

  #receive(message: CdpMessage): void {
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) {
        pending?.reject(new Error(`DevTools: ${message.error.message}`));
      } else pending?.resolve(message.result ?? {});
      return;
    }
    for (const listener of this.#listeners.get(message.method ?? "") ?? []) {
      listener(message.params ?? {}, message.sessionId);
    }
  }
}

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${ms} ms: ${what}`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A page (tab) with its session and the log messages it produced. */
interface Page {
  sessionId: string;
  messages: string[];
  /** Execution contexts of the page's frames, by frame id. */
  contexts: Map<string, number>;
}

async function openPage(devtools: DevTools): Promise<Page> {
  const { targetId } = await devtools.send("Target.createTarget", {
    url: "about:blank",
  });
  const { sessionId } = await devtools.send("Target.attachToTarget", {
    targetId,
    flatten: true,
  }) as { sessionId: string };
  const page: Page = { sessionId, messages: [], contexts: new Map() };
  devtools.on("Log.entryAdded", (params, session) => {
    if (session !== sessionId) return;
    const entry = params.entry as { text: string };
    page.messages.push(entry.text);
  });
  devtools.on("Runtime.consoleAPICalled", (params, session) => {
    if (session !== sessionId) return;
    const args = params.args as { value?: unknown }[];
    page.messages.push(args.map((arg) => String(arg.value)).join(" "));
  });
  devtools.on("Runtime.executionContextCreated", (params, session) => {
    if (session !== sessionId) return;
    const context = params.context as {
      id: number;
      auxData?: { frameId?: string; isDefault?: boolean };
    };
    if (context.auxData?.frameId && context.auxData.isDefault) {
      page.contexts.set(context.auxData.frameId, context.id);
    }
  });
  await devtools.send("Page.enable", {}, sessionId);
  await devtools.send("Runtime.enable", {}, sessionId);
  await devtools.send("Log.enable", {}, sessionId);
  await devtools.send("Emulation.setDeviceMetricsOverride", {
    width: 1000,
    height: 1300,
    deviceScaleFactor: 1,
    mobile: false,
  }, sessionId);
  return page;
}

async function navigate(
  devtools: DevTools,
  page: Page,
  url: string,
): Promise<void> {
  page.messages.length = 0;
  page.contexts.clear();
  const loaded = devtools.waitFor("Page.loadEventFired", page.sessionId);
  const result = await devtools.send("Page.navigate", { url }, page.sessionId);
  if (result.errorText) {
    throw new Error(`Navigation to ${url}: ${result.errorText}`);
  }
  await loaded;
}

/** Evaluates an expression in a frame (the main frame by default) and returns its value. */
async function evaluate<T>(
  devtools: DevTools,
  page: Page,
  expression: string,
  frameId?: string,
): Promise<T> {
  const params: Record<string, unknown> = {
    expression,
    returnByValue: true,
    awaitPromise: true,
  };
  if (frameId !== undefined) {
    const contextId = page.contexts.get(frameId);
    if (contextId === undefined) {
      throw new Error(`No execution context for frame ${frameId}`);
    }
    params.contextId = contextId;
  }
  const result = await devtools.send(
    "Runtime.evaluate",
    params,
    page.sessionId,
  );
  if (result.exceptionDetails) {
    throw new Error(
      `Evaluating ${expression}: ${JSON.stringify(result.exceptionDetails)}`,
    );
  }
  return (result.result as { value: T }).value;
}

interface FrameNode {
  frame: { id: string; url: string; unreachableUrl?: string };
  childFrames?: FrameNode[];
}

async function childFrames(
  devtools: DevTools,
  page: Page,
): Promise<FrameNode["frame"][]> {
  const { frameTree } = await devtools.send(
    "Page.getFrameTree",
    {},
    page.sessionId,
  ) as { frameTree: FrameNode };
  return (frameTree.childFrames ?? []).map((child) => child.frame);
}

async function screenshot(
  devtools: DevTools,
  page: Page,
  name: string,
): Promise<void> {
  const { data } = await devtools.send("Page.captureScreenshot", {
    format: "png",
  }, page.sessionId) as { data: string };
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  await Deno.writeFile(new URL(name, OUTPUT), bytes);
}

// ---------------------------------------------------------------------------
// Chromium and the servers

interface Browser {
  process: Deno.ChildProcess;
  profile: string;
  devtools: DevTools;
}

async function launchChromium(): Promise<Browser> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(
      `Chromium not found at ${CHROMIUM}; install it (apt-get install chromium, as .ci/run does) or set CHROMIUM to its path`,
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "clusterscope-chromium-" });
  const process = new Deno.Command(CHROMIUM, {
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "about:blank"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // Chromium writes the port it picked and the browser's WebSocket path
    // into DevToolsActivePort in the profile folder.
    const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
    let lines: string[] = [];
    while (lines.length < 2) {
      if (Date.now() > deadline) {
        throw new Error(
          `Chromium wrote no DevToolsActivePort within ${LAUNCH_TIMEOUT_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        lines = (await Deno.readTextFile(`${profile}/DevToolsActivePort`))
          .trim().split("\n");
      } catch {
        lines = [];
      }
    }
    const devtools = await DevTools.connect(
      `ws://127.0.0.1:${lines[0]}${lines[1]}`,
    );
    return { process, profile, devtools };
  } catch (error) {
    await stopChromium({ process, profile, devtools: null });
    throw error;
  }
}

/** Closes the browser, kills it if it lingers, and removes its profile. */
async function stopChromium(
  browser: {
    process: Deno.ChildProcess;
    profile: string;
    devtools: DevTools | null;
  },
): Promise<void> {
  try {
    await browser.devtools?.send("Browser.close");
  } catch {
    // The browser may close the socket before it replies.
  }
  browser.devtools?.close();
  const exited = await Promise.race([
    browser.process.status.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
  ]);
  if (!exited) {
    browser.process.kill("SIGKILL");
    await browser.process.status;
  }
  await Deno.remove(browser.profile, { recursive: true }).catch(() => {});
}

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
