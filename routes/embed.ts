import { Hono } from "hono";
import type { DatasetRegistry } from "../core/dataset/registry.ts";
import { InputError, NotFoundError } from "../core/errors.ts";
import { buildChart } from "./chart_builder.ts";
import { requireReady } from "./dataset_state.ts";
import type { AppEnv } from "./env.ts";
import { columnSections } from "./pages.ts";
import { parseLabel, parseQuery } from "./query.ts";
import {
  embedClusterPage,
  embedDashboardPage,
  type EmbedOptions,
  embedProgressPage,
  type EmbedTheme,
} from "./views/embed_page.ts";

/** Query parameters of the embed views. */
export const EMBED_QUERY = {
  theme: { kind: "enum", values: ["light", "dark", "auto"], default: "auto" },
  transparent: {
    kind: "enum",
    values: ["true", "false", "1", "0"],
    default: "false",
  },
} as const;

/**
 * Frame ancestors when none are configured: only pages of the server's own
 * origin may frame it.
 */
export const DEFAULT_FRAME_ANCESTORS: readonly string[] = Object.freeze([
  "'self'",
]);

/**
 * Embed views at /embed/d/NAME and /embed/d/NAME/clusters/LABEL: the
 * dashboard's charts or a cluster's drilldown without the site header,
 * sized to the frame, in the theme that `?theme=` requests.
 */
export function embedRoutes(registry: DatasetRegistry): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/embed/d/:name", (c) => {
    const options = parseEmbedOptions(c.req.query());
    const dataset = registry.get(c.req.param("name"));
    if (dataset.status === "loading" || dataset.status === "fitting") {
      return c.html(embedProgressPage(dataset, options));
    }
    const ready = requireReady(dataset);
    const chartOptions = {
      theme: chartTheme(options.theme),
      transparent: options.transparent,
    };
    const scatter = ready.snapshot.layout
      ? buildChart(ready, {
        kind: "scatter",
        width: 720,
        height: 520,
        ...chartOptions,
      })
      : null;
    const sizes = buildChart(ready, {
      kind: "sizes",
      width: 420,
      height: 520,
      ...chartOptions,
    });
    return c.html(embedDashboardPage(ready, { scatter, sizes }, options));
  });

  routes.get("/embed/d/:name/clusters/:label", (c) => {
    const options = parseEmbedOptions(c.req.query());
    const dataset = registry.get(c.req.param("name"));
    if (dataset.status === "loading" || dataset.status === "fitting") {
      return c.html(embedProgressPage(dataset, options));
    }
    const ready = requireReady(dataset);
    const label = parseLabel(c.req.param("label"));
    if (!ready.snapshot.clusters.some((cluster) => cluster.label === label)) {
      const known = ready.snapshot.clusters.map((cluster) => cluster.label)
        .join(", ");
      throw new NotFoundError(
        `Cluster ${label} not found in "${dataset.name}"; clusters: ${known}`,
      );
    }
    const { sections } = columnSections(ready, label, {
      theme: chartTheme(options.theme),
      transparent: options.transparent,
    });
    return c.html(embedClusterPage(ready, label, sections, options));
  });

  return routes;
}

function parseEmbedOptions(query: Record<string, string>): EmbedOptions {
  const parsed = parseQuery(query, EMBED_QUERY);
  return {
    theme: parsed.theme as EmbedTheme,
    transparent: parsed.transparent === "true" || parsed.transparent === "1",
  };
}

/**
 * Returns the theme the inline charts are rendered in. Charts for "auto"
 * are light, and the page's style sheet swaps their colours for the dark
 * theme's when the reader prefers dark.
 */
function chartTheme(theme: EmbedTheme): "light" | "dark" {
  return theme === "dark" ? "dark" : "light";
}

/**
 * Checks a list of CSP frame-ancestors sources and returns it normalised.
 * Each entry must be `'self'` or an http(s) origin such as
 * `https://docs.example.com` (a trailing slash is dropped, the host is
 * lowercased and a default port left out). `where` names the setting in
 * error messages.
 *
 * @throws {InputError} naming the first invalid entry, or when the list is empty.
 */
export function normalizeFrameAncestors(
  sources: readonly string[],
  where: string,
): string[] {
  if (sources.length === 0) {
    throw new InputError(
      `Invalid ${where}: the list is empty; give 'self' or origins such as https://docs.example.com`,
      { status: 400 },
    );
  }
  const normalized: string[] = [];
  for (const source of sources) {
    const origin = normalizeSource(source, where);
    if (!normalized.includes(origin)) normalized.push(origin);
  }
  return normalized;
}

/**
 * An http(s) origin as written: scheme, host (a DNS name, IPv4 or bracketed
 * IPv6 address) and optional port, with an optional trailing slash. Anything
 * else, such as `;` or a space, could add directives to the policy.
 */
const ORIGIN_PATTERN =
  /^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?\/?$/i;

function normalizeSource(source: string, where: string): string {
  if (source === "'self'") return source;
  if (ORIGIN_PATTERN.test(source) && URL.canParse(source)) {
    return new URL(source).origin;
  }
  const hint = source === "self"
    ? "write 'self' with the single quotes"
    : "use 'self' or an origin such as https://docs.example.com, without path, query or wildcard";
  throw new InputError(
    `Invalid ${where} entry "${source}": not an http(s) origin or 'self'; ${hint}`,
    { status: 400 },
  );
}

/** The Content-Security-Policy of every response, and whether X-Frame-Options may go with it. */
export interface FramePolicy {
  readonly contentSecurityPolicy: string;
  /** "SAMEORIGIN" when only the own origin may frame pages, else null. */
  readonly xFrameOptions: string | null;
}

/**
 * Builds the Content-Security-Policy for pages that `frameAncestors` may
 * frame. Scripts load only from the server itself, and so do style sheets,
 * besides inline styles, which the pages use for cluster swatches. Images
 * may also be data: URLs. X-Frame-Options cannot list origins, so it is only
 * sent as SAMEORIGIN when `'self'` is the only frame ancestor. Browsers that
 * know frame-ancestors ignore it.
 */
export function framePolicy(frameAncestors: readonly string[]): FramePolicy {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors.join(" ")}`,
  ];
  const sameOriginOnly = frameAncestors.length === 1 &&
    frameAncestors[0] === "'self'";
  return {
    contentSecurityPolicy: directives.join("; "),
    xFrameOptions: sameOriginOnly ? "SAMEORIGIN" : null,
  };
}
