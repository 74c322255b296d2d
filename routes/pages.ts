import { Hono } from "hono";
import type { DatasetRegistry } from "../core/dataset/registry.ts";
import {
  clusterMask,
  summariseNumeric,
} from "../core/dataset/column_summary.ts";
import { NotFoundError } from "../core/errors.ts";
import { buildChart, type ChartRequest } from "./chart_builder.ts";
import { type ReadyDataset, requireReady } from "./dataset_state.ts";
import type { AppEnv } from "./env.ts";
import { parseLabel } from "./query.ts";
import { clusterPage, type ColumnSection } from "./views/cluster_page.ts";
import { dashboardPage } from "./views/dashboard_page.ts";
import { indexPage } from "./views/index_page.ts";
import { progressPage } from "./views/progress_page.ts";

/** Feature columns are drawn on drilldowns only up to this count; wider ones link to their charts. */
const MAX_FEATURE_CHARTS = 12;

/**
 * HTML pages: the data set list, each dashboard and each cluster's drilldown.
 * Pages ignore query parameters, so links with tracking tags still open;
 * chart and API URLs, which are cached by their query, reject unknown ones.
 */
export function pageRoutes(registry: DatasetRegistry): Hono<AppEnv> {
  const pages = new Hono<AppEnv>();

  pages.get("/", (c) => {
    return c.html(indexPage(registry.list()));
  });

  pages.get("/d/:name", (c) => {
    const dataset = registry.get(c.req.param("name"));
    if (dataset.status === "loading" || dataset.status === "fitting") {
      return c.html(progressPage(dataset));
    }
    const ready = requireReady(dataset);
    const scatter = ready.snapshot.layout
      ? buildChart(ready, { kind: "scatter", width: 720, height: 520 })
      : null;
    const sizes = buildChart(ready, { kind: "sizes", width: 420, height: 520 });
    return c.html(
      dashboardPage(ready, { scatter, sizes }, new URL(c.req.url).origin),
    );
  });

  pages.get("/d/:name/clusters/:label", (c) => {
    const dataset = registry.get(c.req.param("name"));
    if (dataset.status === "loading" || dataset.status === "fitting") {
      return c.html(progressPage(dataset));
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
    const { sections, hidden } = columnSections(ready, label);
    return c.html(
      clusterPage(ready, label, sections, hidden, new URL(c.req.url).origin),
    );
  });

  return pages;
}

/**
 * Renders the chart of each column for a cluster's drilldown, and lists the
 * feature columns left out because there are too many to draw.
 */
export function columnSections(
  ready: ReadyDataset,
  label: number,
  chartOptions: Pick<ChartRequest, "theme" | "transparent"> = {},
): { sections: ColumnSection[]; hidden: string[] } {
  const { table, snapshot } = ready;
  const features = new Set(table.vectorColumns);
  const featureCount =
    table.attributes.filter((column) => features.has(column.name)).length;
  const hidden: string[] = [];
  const sections: ColumnSection[] = [];
  const mask = clusterMask(snapshot.labels, label);

  for (const column of table.attributes) {
    if (features.has(column.name) && featureCount > MAX_FEATURE_CHARTS) {
      hidden.push(column.name);
      continue;
    }
    const kind = column.kind === "numeric" || column.kind === "temporal"
      ? "histogram"
      : "top-values";
    const svg = buildChart(ready, {
      kind,
      column: column.name,
      cluster: label,
      width: 360,
      height: 280,
      ...chartOptions,
    });
    const section: ColumnSection = {
      name: column.name,
      sqlType: column.sqlType,
      chart: kind,
      svg,
    };
    if (column.kind === "numeric") {
      section.numeric = {
        cluster: summariseNumeric(column.values, mask, column.exact),
        table: summariseNumeric(column.values, undefined, column.exact),
      };
    }
    sections.push(section);
  }
  return { sections, hidden };
}
