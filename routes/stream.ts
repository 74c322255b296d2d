import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import type { DatasetRegistry } from "../core/dataset/registry.ts";
import { InputError } from "../core/errors.ts";
import type { TableFormat } from "../core/load/mod.ts";
import type { DatasetEvent } from "../core/stream/events.ts";
import { requireToken } from "./auth.ts";
import type { AppEnv } from "./env.ts";
import { parseQuery } from "./query.ts";

/** Largest append body accepted unless the server configures another limit. */
export const DEFAULT_MAX_APPEND_BYTES = 32 * 1024 * 1024;

const FORMATS: Record<string, TableFormat> = {
  "text/csv": "csv",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
  "application/jsonl": "ndjson",
  "application/vnd.apache.arrow.stream": "arrow",
  "application/vnd.apache.arrow.file": "arrow",
};

const KEEP_ALIVE_MS = 15_000;

/** Streaming endpoints: appends, refits, their history and the event stream. */
export function streamRoutes(
  registry: DatasetRegistry,
  options: { token?: string; maxAppendBytes?: number },
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const maxSize = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
  const writeGuard = requireToken(options.token);

  routes.post(
    "/d/:name/rows",
    writeGuard,
    bodyLimit({
      maxSize,
      onError: (c) =>
        c.json({
          error:
            `Request body too large: appends are limited to ${maxSize} bytes; send the rows in smaller batches`,
          status: 413,
          requestId: c.get("requestId"),
        }, 413),
    }),
    async (c) => {
      parseQuery(c.req.query(), {});
      const dataset = registry.get(c.req.param("name"));
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim()
        .toLowerCase();
      const format = FORMATS[type];
      if (!format) {
        throw new InputError(
          `Unsupported content type "${
            type || "none"
          }" for appended rows: use ${Object.keys(FORMATS).join(", ")}`,
          { status: 415 },
        );
      }
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const result = await dataset.append(bytes, format, c.get("requestId"));
      return c.json(result);
    },
  );

  routes.post("/d/:name/refit", writeGuard, (c) => {
    parseQuery(c.req.query(), {});
    const dataset = registry.get(c.req.param("name"));
    const { queued } = dataset.requestRefit("requested through the API");
    return c.json({
      status: queued ? "queued" : "started",
      version: dataset.snapshot?.version ?? null,
    }, 202);
  });

  routes.get("/d/:name/history", (c) => {
    parseQuery(c.req.query(), {});
    const dataset = registry.get(c.req.param("name"));
    c.header("cache-control", "no-store");
    return c.json({
      name: dataset.name,
      version: dataset.snapshot?.version ?? null,
      modelVersion: dataset.snapshot?.modelVersion ?? null,
      refitting: dataset.refitting,
      refits: dataset.history,
    });
  });

  routes.get("/d/:name/events", (c) => {
    parseQuery(c.req.query(), {});
    const dataset = registry.get(c.req.param("name"));
    c.header("cache-control", "no-store");
    return streamSSE(c, async (stream) => {
      const queue: DatasetEvent[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = dataset.events.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });

      // The current state first, so a client starts from a known version.
      await stream.writeSSE({
        event: "hello",
        data: JSON.stringify({
          status: dataset.status,
          version: dataset.snapshot?.version ?? null,
          rows: dataset.snapshot?.rowCount ?? null,
          refitting: dataset.refitting,
        }),
      });
      while (!stream.aborted && !dataset.closed) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, KEEP_ALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          if (queue.length === 0 && !stream.aborted) {
            await stream.write(": keep-alive\n\n");
          }
          continue;
        }
        const event = queue.shift()!;
        await stream.writeSSE({
          id: String(event.id),
          event: event.type,
          data: JSON.stringify(event.data),
        });
      }
      unsubscribe();
    });
  });

  return routes;
}
