import { Hono } from "hono";
import type { DatasetRegistry } from "../core/dataset/registry.ts";
import { NotFoundError } from "../core/errors.ts";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH } from "../render/mod.ts";
import {
  buildChart,
  CHART_KINDS,
  type ChartKind,
  type ChartRequest,
} from "./chart_builder.ts";
import { requireReady } from "./dataset_state.ts";
import { revalidate } from "./etag.ts";
import type { AppEnv } from "./env.ts";
import { parseLabel, parseQuery } from "./query.ts";

/** Query parameters that every chart URL accepts. */
export const CHART_QUERY = {
  width: { kind: "integer", min: 200, max: 4000, default: DEFAULT_WIDTH },
  height: { kind: "integer", min: 160, max: 4000, default: DEFAULT_HEIGHT },
  theme: { kind: "enum", values: ["light", "dark"], default: "light" },
  transparent: {
    kind: "enum",
    values: ["true", "false", "1", "0"],
    default: "false",
  },
} as const;

/** Query parameters of the charts of one column in one cluster. */
export const COLUMN_CHART_QUERY = {
  ...CHART_QUERY,
  column: { kind: "string" },
  cluster: { kind: "string" },
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
    const request = canonicalRequest(kind, c.req.query());
    const ready = requireReady(registry.get(c.req.param("name")));

    // TODO: add a fingerprint of render/ (such as a hash of its sources at
    // start-up) to the ETag, so that an upgrade that changes the drawing of
    // an unchanged model does not return 304 to revalidations.
    const unchanged = revalidate(
      c,
      ready.snapshot,
      canonicalKey(request),
      "public, max-age=0, must-revalidate",
    );
    if (unchanged) return unchanged;
    c.header("content-type", "image/svg+xml; charset=utf-8");
    return c.body(buildChart(ready, request));
  });
  return routes;
}

/**
 * Reads a chart's query into a request with every default filled in, so
 * that equivalent URLs (parameters in another order, a default given
 * explicitly, "1" for "true", "noise" for "-1") name the same chart.
 * Parameters that the chart does not use are rejected with a 400.
 */
export function canonicalRequest(
  kind: ChartKind,
  query: Record<string, string>,
): ChartRequest {
  const columnChart = kind === "histogram" || kind === "top-values";
  const parsed = parseQuery(
    query,
    columnChart ? COLUMN_CHART_QUERY : CHART_QUERY,
  ) as ReturnType<typeof parseQuery<typeof COLUMN_CHART_QUERY>>;
  const request: ChartRequest = {
    kind,
    width: parsed.width,
    height: parsed.height,
    theme: parsed.theme as "light" | "dark",
    transparent: parsed.transparent === "true" || parsed.transparent === "1",
  };
  if (columnChart) {
    request.column = parsed.column;
    request.cluster = parsed.cluster === undefined
      ? undefined
      : parseLabel(parsed.cluster);
  }
  return request;
}

function canonicalKey(request: ChartRequest): string {
  return JSON.stringify([
    request.kind,
    request.width,
    request.height,
    request.theme,
    request.transparent,
    request.column ?? null,
    request.cluster ?? null,
  ]);
}
