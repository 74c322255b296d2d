import { clusterColor } from "../../render/mod.ts";
import type { ReadyDataset } from "../dataset_state.ts";
import { embedCode, svgTitle } from "./embed_code.ts";
import { escapeHtml } from "./html.ts";
import { formatCount, formatPercent, formatStat } from "./format.ts";
import { pageLayout } from "./layout.ts";
import { modelNotes } from "./notes.ts";

/** Charts already rendered to SVG for the page. */
export interface DashboardCharts {
  scatter: string | null;
  sizes: string;
}

/**
 * Renders a data set's dashboard: facts, notes, the projection, cluster sizes
 * and the cluster table. `origin` (such as "http://127.0.0.1:8000") makes the
 * URLs in the embed snippets absolute.
 *
 * NOTE: The origin comes from the request URL, so behind a proxy that ends
 * TLS the snippets contain http:// unless the proxy forwards the original URL.
 */
export function dashboardPage(
  ready: ReadyDataset,
  charts: DashboardCharts,
  origin: string,
): string {
  const { dataset, table, snapshot } = ready;
  const base = `/d/${encodeURIComponent(dataset.name)}`;
  const embedTarget = (svg: string, chart: string, width: number) => ({
    viewUrl: `${origin}/embed${base}`,
    chartUrl: `${origin}${base}/${chart}.svg?width=${width}&height=520`,
    title: svgTitle(svg),
    width,
    height: 520,
  });
  const { hdbscan, umap } = snapshot.params;
  const seconds =
    (snapshot.timings.knn + snapshot.timings.hdbscan + snapshot.timings.umap) /
    1000;

  const facts = `<p class="facts">${
    formatCount(snapshot.rowCount)
  } rows · ${table.vectors.dim} dimensions from ${
    escapeHtml(describeVector(table.vectorColumns))
  } · ${formatCount(snapshot.clusterCount)} clusters · ${
    formatPercent(
      snapshot.rowCount ? snapshot.noiseCount / snapshot.rowCount : 0,
    )
  } noise<br>
HDBSCAN min_cluster_size ${hdbscan.minClusterSize}, min_samples ${
    hdbscan.minSamples ?? hdbscan.minClusterSize
  }, ${hdbscan.clusterSelectionMethod}, ${hdbscan.metric}${
    hdbscan.clusterSelectionEpsilon
      ? `, epsilon ${hdbscan.clusterSelectionEpsilon}`
      : ""
  }${hdbscan.allowSingleCluster ? ", allow_single_cluster" : ""} · ${
    umap.enabled
      ? `UMAP n_neighbors ${umap.nNeighbors}, min_dist ${umap.minDist}, seed ${umap.seed}`
      : "no projection"
  } · fitted in ${seconds.toFixed(1)} s</p>`;

  const notes = modelNotes(ready).map((note) =>
    `<p class="note">${escapeHtml(note)}</p>`
  ).join("\n");

  const rows = snapshot.clusters.map((cluster) => {
    const name = cluster.label === -1 ? "noise" : `cluster ${cluster.label}`;
    return `<tr><td><span class="swatch" style="background:${
      clusterColor(cluster.label)
    }"></span>` +
      `<a href="${base}/clusters/${cluster.label}">${name}</a></td>` +
      `<td class="number">${formatCount(cluster.size)}</td>` +
      `<td class="number">${
        formatPercent(snapshot.rowCount ? cluster.size / snapshot.rowCount : 0)
      }</td>` +
      `<td class="number">${formatStat(cluster.meanProbability)}</td>` +
      `<td class="number">${formatStat(cluster.meanOutlierScore)}</td></tr>`;
  }).join("\n");

  const scatter = charts.scatter
    ? `<figure class="chart">${charts.scatter}${
      embedCode("embed-scatter", embedTarget(charts.scatter, "scatter", 720))
    }</figure>`
    : `<p class="note">No projection: this data set was fitted with --no-umap.</p>`;

  const body = `<h1>${escapeHtml(dataset.name)}</h1>
${facts}
${notes}
<div class="charts">
${scatter}
<figure class="chart">${charts.sizes}${
    embedCode("embed-sizes", embedTarget(charts.sizes, "sizes", 420))
  }</figure>
</div>
<h2>Clusters</h2>
<table class="clusters">
<thead><tr><th>Cluster</th><th class="number">Rows</th><th class="number">Share</th><th class="number">Mean probability</th><th class="number">Mean outlier score</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Data</h2>
<p>Points: <a href="/api${base}/points">Arrow</a> · <a href="/api${base}/points?format=csv">CSV</a> · <a href="/api${base}/points?format=json">JSON</a> · clusters: <a href="/api${base}/clusters">JSON</a> · charts: <a href="${base}/scatter.svg">scatter.svg</a> · <a href="${base}/sizes.svg">sizes.svg</a></p>`;
  return pageLayout(dataset.name, body, {
    eventsUrl: `/api/d/${encodeURIComponent(dataset.name)}/events`,
  });
}

function describeVector(columns: readonly string[]): string {
  if (columns.length === 1) return `column ${columns[0]}`;
  if (columns.length <= 4) return `columns ${columns.join(", ")}`;
  return `${columns.length} columns ${columns[0]} … ${
    columns[columns.length - 1]
  }`;
}
