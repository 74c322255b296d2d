import type { Dataset } from "../../core/dataset/registry.ts";
import { escapeHtml } from "./html.ts";
import { formatPercent } from "./format.ts";
import { pageLayout } from "./layout.ts";

/** Renders the page shown while a data set loads or fits; it reloads itself every two seconds. */
export function progressPage(dataset: Dataset): string {
  const { fraction, stage } = dataset.progress;
  const body = `<h1>${escapeHtml(dataset.name)}</h1>
<p class="progress-note">The model is being fitted: ${escapeHtml(stage)}, ${
    formatPercent(fraction)
  } done. This page reloads until the dashboard is ready.</p>
<progress max="1" value="${fraction.toFixed(3)}">${
    formatPercent(fraction)
  }</progress>`;
  return pageLayout(dataset.name, body, { refreshSeconds: 2 });
}
