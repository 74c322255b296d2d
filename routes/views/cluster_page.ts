import { clusterColor } from "../../render/mod.ts";
import type { NumericSummary } from "../../core/dataset/column_summary.ts";
import type { ReadyDataset } from "../dataset_state.ts";
import { embedCode, svgTitle } from "./embed_code.ts";
import { escapeHtml } from "./html.ts";
import { formatCount, formatPercent, formatStat } from "./format.ts";
import { pageLayout } from "./layout.ts";

/** One column's section of a drilldown: its chart and its statistics. */
export interface ColumnSection {
  name: string;
  sqlType: string;
  /** The chart drawn for the column. */
  chart: "histogram" | "top-values";
  svg: string;
  /** Numeric columns: statistics of the cluster and of the whole table. */
  numeric?: { cluster: NumericSummary; table: NumericSummary };
}

/**
 * Renders the drilldown of one cluster (or the noise): size, neighbours in
 * the list, and a section per column. `origin` (such as
 * "http://127.0.0.1:8000") makes the URLs in the embed snippets absolute.
 */
export function clusterPage(
  ready: ReadyDataset,
  label: number,
  sections: readonly ColumnSection[],
  hiddenColumns: readonly string[],
  origin: string,
): string {
  const { dataset, snapshot } = ready;
  const base = `/d/${encodeURIComponent(dataset.name)}`;
  const info = snapshot.clusters.find((cluster) => cluster.label === label)!;
  const title = label === -1 ? "Noise" : `Cluster ${label}`;

  const nav = snapshot.clusters.map((cluster) => {
    const name = cluster.label === -1 ? "noise" : String(cluster.label);
    return cluster.label === label
      ? `<strong>${name}</strong>`
      : `<a href="${base}/clusters/${cluster.label}">${name}</a>`;
  }).join(" ");

  const statistics = sections.filter((section) => section.numeric).map(
    (section) => {
      const { cluster, table } = section.numeric!;
      return `<tr><td>${escapeHtml(section.name)}</td><td class="number">${
        formatStat(cluster.mean)
      }</td>` +
        `<td class="number">${
          formatStat(cluster.median)
        }</td><td class="number">${
          escapeHtml(cluster.minExact ?? formatStat(cluster.min))
        }</td>` +
        `<td class="number">${
          escapeHtml(cluster.maxExact ?? formatStat(cluster.max))
        }</td><td class="number">${formatCount(cluster.missing)}</td>` +
        `<td class="number">${formatStat(table.mean)}</td><td class="number">${
          formatStat(table.median)
        }</td></tr>`;
    },
  ).join("\n");
  const statisticsTable = statistics
    ? `<h2>Numeric columns</h2>
<table class="statistics">
<thead><tr><th>Column</th><th class="number">Mean</th><th class="number">Median</th><th class="number">Min</th><th class="number">Max</th><th class="number">Missing</th><th class="number">Table mean</th><th class="number">Table median</th></tr></thead>
<tbody>
${statistics}
</tbody>
</table>`
    : "";

  const charts = sections.map((section, index) => {
    const query = `column=${
      encodeURIComponent(section.name)
    }&cluster=${label}&width=360&height=240`;
    const code = embedCode(`embed-${index}`, {
      viewUrl: `${origin}/embed${base}/clusters/${label}`,
      chartUrl: `${origin}${base}/${section.chart}.svg?${query}`,
      title: svgTitle(section.svg),
      width: 360,
      height: 240,
    });
    return `<figure class="chart">${section.svg}${code}</figure>`;
  }).join("\n");
  const hidden = hiddenColumns.length > 0
    ? `<p class="note">${hiddenColumns.length} feature columns are not drawn here. Each has its chart at ${
      escapeHtml(`${base}/histogram.svg?column=NAME&cluster=${label}`)
    }.</p>`
    : "";

  const body = `<p><a href="${base}">← ${escapeHtml(dataset.name)}</a></p>
<h1><span class="swatch" style="background:${
    clusterColor(label)
  }"></span>${title}</h1>
<p class="facts">${formatCount(info.size)} of ${
    formatCount(snapshot.rowCount)
  } rows (${
    formatPercent(snapshot.rowCount ? info.size / snapshot.rowCount : 0)
  }) · mean membership probability ${
    formatStat(info.meanProbability)
  } · mean outlier score ${formatStat(info.meanOutlierScore)}</p>
<nav class="clusters">Clusters: ${nav}</nav>
${statisticsTable}
<h2>Columns, cluster against the whole table</h2>
${hidden}
<div class="charts">
${charts || "<p>The table has no columns besides the vector.</p>"}
</div>`;
  return pageLayout(`${dataset.name} · ${title}`, body, {
    eventsUrl: `/api/d/${encodeURIComponent(dataset.name)}/events`,
  });
}
