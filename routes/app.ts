import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { DatasetRegistry } from "../core/dataset/registry.ts";
import { NotFoundError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { apiRoutes } from "./api.ts";
import { chartRoutes } from "./charts.ts";
import {
  DEFAULT_FRAME_ANCESTORS,
  embedRoutes,
  framePolicy,
  normalizeFrameAncestors,
} from "./embed.ts";
import type { AppEnv } from "./env.ts";
import { handleError } from "./errors.ts";
import { pageRoutes } from "./pages.ts";
import { staticRoutes } from "./static.ts";
import { streamRoutes } from "./stream.ts";

/** Options of the app: its data sets and its security settings. */
export interface AppOptions {
  registry: DatasetRegistry;
  /**
   * Sources of the CSP frame-ancestors directive: `'self'` or http(s)
   * origins that may show the pages in a frame. Defaults to `'self'` only.
   */
  frameAncestors?: readonly string[];
  /** Bearer token that write endpoints require; without one, writes are off. */
  token?: string;
  /** Largest append body in bytes. */
  maxAppendBytes?: number;
}

/**
 * Builds the Hono app: pages, charts, API, static files and health, with one
 * request id per request (also sent as X-Request-Id) and one error handler.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { registry } = options;
  const policy = framePolicy(
    normalizeFrameAncestors(
      options.frameAncestors ?? DEFAULT_FRAME_ANCESTORS,
      "frame ancestors",
    ),
  );
  const app = new Hono<AppEnv>();

  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.debug("request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  app.use(async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    if (!c.res.headers.has("content-security-policy")) {
      c.header("content-security-policy", policy.contentSecurityPolicy);
      if (policy.xFrameOptions) {
        c.header("x-frame-options", policy.xFrameOptions);
      }
    }
  });

  app.get("/healthz", (c) => {
    c.header("cache-control", "no-store");
    return c.json({
      status: "ok",
      datasets: registry.list().map((dataset) => ({
        name: dataset.name,
        status: dataset.status,
      })),
    });
  });
  app.route("/static", staticRoutes());
  app.route("/api", streamRoutes(registry, options));
  app.route("/api", apiRoutes(registry));
  app.route("/", chartRoutes(registry));
  app.route("/", embedRoutes(registry));
  app.route("/", pageRoutes(registry));

  app.notFound((c) => {
    // A path that exists for other methods gets 405 and the methods it takes.
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      c.header("allow", allowed.join(", "));
      return handleError(
        new HTTPException(405, {
          message:
            `Method ${c.req.method} is not allowed at ${c.req.path}; use ${
              allowed.join(" or ")
            }`,
        }),
        c,
      );
    }
    return handleError(
      new NotFoundError(
        `No page at ${c.req.path}; the list of data sets is at /`,
      ),
      c,
    );
  });
  app.onError(handleError);
  return app;
}

/** HTTP methods that the app's routes use. */
const ROUTE_METHODS = ["GET", "POST"];

/**
 * Lists the methods with a route of their own for `path`, with HEAD after
 * GET because Hono serves HEAD requests with the GET route. Middleware is registered
 * for every method, so a method counts when it matches more handlers than a
 * method without routes does.
 */
function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const count = (method: string) => app.router.match(method, path)[0].length;
  const shared = count("PROBE");
  return ROUTE_METHODS.filter((method) => count(method) > shared)
    .flatMap((method) => method === "GET" ? ["GET", "HEAD"] : [method]);
}
