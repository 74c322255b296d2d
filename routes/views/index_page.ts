import type { Dataset } from "../../core/dataset/registry.ts";
import { escapeHtml } from "./html.ts";
import { formatCount, formatPercent } from "./format.ts";
import { pageLayout } from "./layout.ts";

/** Renders the list of data sets with their size, clusters and status. */
export function indexPage(datasets: readonly Dataset[]): string {
  const rows = datasets.map((dataset) => {
    const name = escapeHtml(dataset.name);
    const rowsCell = dataset.store ? formatCount(dataset.store.rowCount) : "–";
    const clusters = dataset.snapshot
      ? formatCount(dataset.snapshot.clusterCount)
      : "–";
    return `<tr><td><a href="/d/${
      encodeURIComponent(dataset.name)
    }">${name}</a></td>` +
      `<td class="number">${rowsCell}</td><td class="number">${clusters}</td>` +
      `<td>${escapeHtml(statusText(dataset))}</td></tr>`;
  });
  const refresh = datasets.some((dataset) =>
    dataset.status === "loading" || dataset.status === "fitting"
  );
  const body = datasets.length === 0
    ? "<p>No data sets are served. Start the server with a file: <code>deno task serve FILE</code>.</p>"
    : `<table class="datasets">
<thead><tr><th>Data set</th><th class="number">Rows</th><th class="number">Clusters</th><th>Status</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`;
  return pageLayout("Data sets", `<h1>Data sets</h1>\n${body}`, {
    refreshSeconds: refresh ? 2 : undefined,
  });
}

/** Describes a data set's state in a few words, such as "fitting: layout 40.0%". */
export function statusText(dataset: Dataset): string {
  switch (dataset.status) {
    case "loading":
      return "loading";
    case "fitting":
      return `fitting: ${dataset.progress.stage} ${
        formatPercent(dataset.progress.fraction)
      }`;
    case "ready":
      return "ready";
    case "failed":
      return `failed: ${dataset.error?.message ?? "unknown error"}`;
  }
}
