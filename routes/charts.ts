import { Hono } from "hono";
import type { DatasetRegistry } from "../core/dataset/registry.ts";
import { NotFoundError } from "../core/errors.ts";
import { buildChart, CHART_KINDS, type ChartKind } from "./chart_builder.ts";
import { requireReady } from "./dataset_state.ts";
import { etagFor, notModified } from "./etag.ts";
import type { AppEnv } from "./env.ts";
import { parseLabel, parseQuery } from "./query.ts";

/** Query parameters that chart URLs accept. */
export const CHART_QUERY = {
  width: { kind: "integer", min: 200, max: 4000 },
  height: { kind: "integer", min: 160, max: 4000 },
  column: { kind: "string" },
  cluster: { kind: "string" },
  theme: { kind: "enum", values: ["light", "dark"] },
  transparent: { kind: "enum", values: ["true", "false", "1", "0"] },
} as const;

/** Standalone SVG charts at /d/NAME/CHART.svg. */
export function chartRoutes(registry: DatasetRegistry): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/d/:name/:chart{[a-z-]+\\.svg}", (c) => {
    const kind = c.req.param("chart").slice(0, -".svg".length) as ChartKind;
    if (!CHART_KINDS.includes(kind)) {
      throw new NotFoundError(
        `Chart "${kind}.svg" not found; charts: ${
          CHART_KINDS.map((k) => `${k}.svg`).join(", ")
        }`,
      );
    }
    const query = parseQuery(c.req.query(), CHART_QUERY);
    const ready = requireReady(registry.get(c.req.param("name")));
    const request = {
      kind,
      width: query.width,
      height: query.height,
      column: query.column,
      cluster: query.cluster === undefined
        ? undefined
        : parseLabel(query.cluster),
      theme: query.theme as "light" | "dark" | undefined,
      transparent: query.transparent === "true" || query.transparent === "1",
    };

    const etag = etagFor(ready.snapshot, JSON.stringify(request));
    c.header("etag", etag);
    c.header("cache-control", "public, max-age=0, must-revalidate");
    if (notModified(c, etag)) return c.body(null, 304);
    c.header("content-type", "image/svg+xml; charset=utf-8");
    return c.body(buildChart(ready, request));
  });
  return routes;
}
