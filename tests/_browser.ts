/**
 * A small DevTools protocol client for the browser tests: starts Debian's
 * headless Chromium on loopback, opens pages, evaluates script in them and
 * takes screenshots. Chromium comes from /usr/bin/chromium, or $CHROMIUM.
 */
export const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
export const OUTPUT = new URL("./output/", import.meta.url);

/** Upper bound of one DevTools call or page load. */
export const STEP_TIMEOUT_MS = 20_000;
/** Upper bound of Chromium's start, until it writes its DevTools port. */
export const LAUNCH_TIMEOUT_MS = 20_000;

export const CHROMIUM_FLAGS = [
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

export interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export type CdpListener = (
  params: Record<string, unknown>,
  sessionId?: string,
) => void;

/** One WebSocket connection to the browser, with flat sessions per page. */
export class DevTools {
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

export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  operation: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${ms} ms: ${operation}`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A page (tab) with its session and the log messages it produced. */
export interface Page {
  sessionId: string;
  messages: string[];
  /** Execution contexts of the page's frames, by frame id. */
  contexts: Map<string, number>;
}

export async function openPage(devtools: DevTools): Promise<Page> {
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

export async function navigate(
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
export async function evaluate<T>(
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

export interface FrameNode {
  frame: { id: string; url: string; unreachableUrl?: string };
  childFrames?: FrameNode[];
}

export async function childFrames(
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

export async function screenshot(
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

export interface Browser {
  process: Deno.ChildProcess;
  profile: string;
  devtools: DevTools;
}

export async function launchChromium(): Promise<Browser> {
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
export async function stopChromium(
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
