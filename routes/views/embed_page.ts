import { clusterColor } from "../../render/mod.ts";
import type { Dataset } from "../../core/dataset/registry.ts";
import type { ReadyDataset } from "../dataset_state.ts";
import { staticUrl } from "../static.ts";
import type { ColumnSection } from "./cluster_page.ts";
import type { DashboardCharts } from "./dashboard_page.ts";
import { escapeHtml } from "./html.ts";
import { formatCount, formatPercent, formatStat } from "./format.ts";

/** Colour scheme of an embed: fixed, or "auto" to follow the reader's preference. */
export type EmbedTheme = "light" | "dark" | "auto";

/** Appearance options of an embed view. */
export interface EmbedOptions {
  theme: EmbedTheme;
  /** Leaves the page and chart backgrounds out, so the host page shows through. */
  transparent: boolean;
}

/** Renders the dashboard's charts for an iframe: a heading, one line of facts and the charts at the frame's width. */
export function embedDashboardPage(
  ready: ReadyDataset,
  charts: DashboardCharts,
  options: EmbedOptions,
): string {
  const { dataset, snapshot } = ready;
  const facts = `${formatCount(snapshot.rowCount)} rows · ${
    formatCount(snapshot.clusterCount)
  } clusters · ${
    formatPercent(
      snapshot.rowCount ? snapshot.noiseCount / snapshot.rowCount : 0,
    )
  } noise`;
  const scatter = charts.scatter
    ? `<figure class="chart scatter">${charts.scatter}</figure>`
    : `<p class="note">No projection: this data set was fitted with --no-umap.</p>`;
  const body = `<header>
<h1>${dashboardLink(dataset.name, "", dataset.name)}</h1>
<p class="facts">${facts}</p>
</header>
<div class="embed-charts">
${scatter}
<figure class="chart sizes">${charts.sizes}</figure>
</div>`;
  return embedLayout(dataset.name, body, options);
}

/** Renders one cluster's drilldown for an iframe: its facts, statistics and column charts. */
export function embedClusterPage(
  ready: ReadyDataset,
  label: number,
  sections: readonly ColumnSection[],
  options: EmbedOptions,
): string {
  const { dataset, snapshot } = ready;
  const info = snapshot.clusters.find((cluster) => cluster.label === label)!;
  const title = label === -1 ? "Noise" : `Cluster ${label}`;
  const facts = `${formatCount(info.size)} of ${
    formatCount(snapshot.rowCount)
  } rows (${
    formatPercent(snapshot.rowCount ? info.size / snapshot.rowCount : 0)
  }) · mean membership probability ${formatStat(info.meanProbability)}`;
  const charts = sections.map((section) =>
    `<figure class="chart">${section.svg}</figure>`
  ).join("\n");
  const body = `<header>
<h1><span class="swatch" style="background:${clusterColor(label)}"></span>${
    dashboardLink(dataset.name, `/clusters/${label}`, title)
  } <span class="dataset">${escapeHtml(dataset.name)}</span></h1>
<p class="facts">${facts}</p>
</header>
<div class="embed-charts columns">
${charts || "<p>The table has no columns besides the vector.</p>"}
</div>`;
  return embedLayout(`${dataset.name} · ${title}`, body, options);
}

/** Renders the embed shown while a data set loads or fits; it reloads every two seconds. */
export function embedProgressPage(
  dataset: Dataset,
  options: EmbedOptions,
): string {
  const { fraction, stage } = dataset.progress;
  const body = `<header><h1>${escapeHtml(dataset.name)}</h1></header>
<p class="progress-note">The model is being fitted: ${escapeHtml(stage)}, ${
    formatPercent(fraction)
  } done.</p>
<progress max="1" value="${fraction.toFixed(3)}">${
    formatPercent(fraction)
  }</progress>`;
  return embedLayout(dataset.name, body, options, { refreshSeconds: 2 });
}

/**
 * Links to a page of the full dashboard in a new browsing context, because
 * the full page inside a small frame would be cramped.
 */
function dashboardLink(name: string, path: string, text: string): string {
  return `<a href="/d/${
    encodeURIComponent(name)
  }${path}" target="_blank" rel="noopener">${escapeHtml(text)}</a>`;
}

/**
 * Wraps embed content in an HTML document without the site header. The
 * root element's classes pick the theme and transparency in style.css and
 * embed.css.
 */
function embedLayout(
  title: string,
  body: string,
  options: EmbedOptions,
  layout: { refreshSeconds?: number } = {},
): string {
  const classes = [`theme-${options.theme}`, "embed"];
  if (options.transparent) classes.push("transparent");
  const refresh = layout.refreshSeconds
    ? `<meta http-equiv="refresh" content="${layout.refreshSeconds}">\n`
    : "";
  return `<!doctype html>
<html lang="en" class="${classes.join(" ")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)} · clusterscope</title>
<link rel="stylesheet" href="${staticUrl("style.css")}">
<link rel="stylesheet" href="${staticUrl("embed.css")}">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
