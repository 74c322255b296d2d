/** Bar chart of the row count of each cluster, noise last. */

import * as Plot from "@observablehq/plot";
import {
  allNoiseNote,
  type ClusterSize,
  countClusterSizes,
  sortClusterSizes,
} from "./clusters.ts";
import { createDocument, type XmlElement } from "./dom.ts";
import {
  estimateTextWidth,
  formatCount,
  formatPercent,
  formatQuantity,
} from "./format.ts";
import {
  finishChart,
  type HeaderContent,
  layoutHeader,
  PADDING,
  renderNoteChart,
  yAxisLabel,
} from "./frame.ts";
import type { ChartOptions } from "./options.ts";
import { resolveChartOptions } from "./options.ts";
import { clusterColor, clusterName, NOISE_LABEL } from "./palette.ts";

/** Options of {@linkcode renderClusterSizes} besides the data. */
export interface ClusterSizesOptions extends ChartOptions {
  /** Bar order: by cluster label (default) or by size, largest first. Noise is always last. */
  readonly order?: "label" | "size";
  /** The min_cluster_size of the clustering, named in the all-noise note. */
  readonly minClusterSize?: number;
}

/**
 * Input of {@linkcode renderClusterSizes}: either the HDBSCAN label of every
 * row, or the row count of each label with -1 for noise.
 */
export type ClusterSizesInput =
  & ClusterSizesOptions
  & (
    | { readonly labels: Int32Array; readonly sizes?: undefined }
    | { readonly sizes: readonly ClusterSize[]; readonly labels?: undefined }
  );

/** Band padding of the x scale, as a fraction of each band. */
const BAND_PADDING = 0.15;
/** Horizontal room each x-axis tick label needs, in pixels. */
const TICK_SPACING = 26;

/**
 * Renders the size of each cluster as a bar in its cluster colour, with the
 * noise bar last and grey.
 *
 * @throws {RangeError} when a label is below -1, a count is not a
 * non-negative integer, a label appears twice in `sizes`, or an option is
 * out of range.
 */
export function renderClusterSizes(input: ClusterSizesInput): string {
  const chart = resolveChartOptions("cluster sizes", input, "Cluster sizes");
  const sizes = orderSizes(
    input.labels !== undefined
      ? countClusterSizes(input.labels)
      : checkSizes(input.sizes),
    input.order ?? "label",
  ).filter((size) => size.count > 0);

  const total = sizes.reduce((sum, size) => sum + size.count, 0);
  const noise = sizes.find((size) => size.label === NOISE_LABEL)?.count ?? 0;
  const clusterCount = sizes.length - (noise > 0 ? 1 : 0);
  const subtitles = [
    `${formatQuantity(total, "row")} · ${
      formatQuantity(clusterCount, "cluster")
    } · ${formatCount(noise)} noise${
      total > 0 ? ` (${formatPercent(noise / total)})` : ""
    }`,
  ];
  if (total > 0 && clusterCount === 0) {
    subtitles.push(allNoiseNote(total, input.minClusterSize));
  }
  const content: HeaderContent = { subtitles };
  const description = chart.description ??
    describeSizes(sizes, total, subtitles);

  if (total === 0) {
    return renderNoteChart(
      chart,
      content,
      "The table has no rows, so there is nothing to count.",
      description,
    );
  }

  const document = createDocument();
  const header = layoutHeader(chart, content);
  const bars = sizes.map((size) => ({
    name: size.label === NOISE_LABEL ? "noise" : String(size.label),
    count: size.count,
    color: clusterColor(size.label),
    title: `${clusterName(size.label)}: ${formatQuantity(size.count, "row")} (${
      formatPercent(size.count / total)
    })`,
  }));
  const maxCount = Math.max(...sizes.map((size) => size.count));
  const marginLeft = Math.max(
    PADDING + 28,
    estimateTextWidth(formatCount(maxCount), 10) + 20,
  );
  const plotWidth = chart.width - marginLeft - PADDING;
  const tickStep = Math.ceil(
    bars.length / Math.max(1, plotWidth / TICK_SPACING),
  );
  // Every tickStep-th bar gets a tick, and noise always does. A thinned tick
  // within one step of the noise tick is left out, so no two labels overlap.
  const noiseIndex = bars.findIndex((bar) => bar.name === "noise");
  const ticks = bars
    .filter((bar, index) =>
      bar.name === "noise" ||
      (index % tickStep === 0 &&
        (noiseIndex < 0 || index === noiseIndex ||
          Math.abs(noiseIndex - index) >= tickStep))
    )
    .map((bar) => bar.name);

  // Counts go above the bars only when the widest fits its bar, so they never
  // overlap; the bars' tooltips give the counts either way.
  const barWidth = (plotWidth / bars.length) * (1 - BAND_PADDING);
  const valueLabels = estimateTextWidth(formatCount(maxCount), 10) + 2 <=
    barWidth;

  const svg = Plot.plot({
    document,
    width: chart.width,
    height: chart.height,
    marginTop: header.height + 26,
    marginRight: PADDING,
    marginBottom: 36,
    marginLeft,
    x: {
      type: "band",
      domain: bars.map((bar) => bar.name),
      ticks,
      label: "cluster",
      labelAnchor: "center",
      padding: BAND_PADDING,
    },
    // Counts are whole numbers, so small charts get no fractional ticks that would print twice.
    y: {
      label: null,
      grid: true,
      nice: true,
      ticks: Math.max(
        1,
        Math.min(
          Math.round((chart.height - header.height - 62) / 50),
          maxCount,
        ),
      ),
      tickFormat: formatCount,
    },
    color: { type: "identity" },
    marks: [
      Plot.barY(bars, {
        x: "name",
        y: "count",
        fill: "color",
        title: "title",
      }),
      ...(valueLabels
        ? [
          Plot.text(bars, {
            x: "name",
            y: "count",
            text: (bar: { count: number }) => formatCount(bar.count),
            dy: -7,
            fill: chart.colors.muted,
          }),
        ]
        : []),
      Plot.ruleY([0]),
      yAxisLabel("rows", marginLeft),
    ],
  }) as XmlElement;

  return finishChart(document, svg, chart, header, description);
}

/**
 * Checks cluster sizes given by the caller.
 *
 * @throws {RangeError} naming the first invalid or repeated entry.
 */
function checkSizes(sizes: readonly ClusterSize[]): ClusterSize[] {
  const seen = new Set<number>();
  for (const { label, count } of sizes) {
    if (!Number.isInteger(label) || label < NOISE_LABEL) {
      throw new RangeError(
        `Cannot render the cluster sizes chart: label ${label} is invalid; expected -1 (noise) or an integer of at least 0.`,
      );
    }
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(
        `Cannot render the cluster sizes chart: ${
          clusterName(label)
        } has count ${count}; expected a non-negative integer.`,
      );
    }
    if (seen.has(label)) {
      throw new RangeError(
        `Cannot render the cluster sizes chart: ${
          clusterName(label)
        } appears twice in sizes; pass one entry per label.`,
      );
    }
    seen.add(label);
  }
  return [...sizes];
}

function orderSizes(
  sizes: readonly ClusterSize[],
  order: "label" | "size",
): ClusterSize[] {
  const byLabel = sortClusterSizes(sizes);
  if (order === "label") return byLabel;
  if (order !== "size") {
    throw new RangeError(
      `Cannot render the cluster sizes chart: order ${
        JSON.stringify(order)
      } is invalid; expected "label" or "size".`,
    );
  }
  const clusters = byLabel.filter((size) => size.label !== NOISE_LABEL);
  const noise = byLabel.filter((size) => size.label === NOISE_LABEL);

  // Array.prototype.sort is stable, so equal sizes keep their label order.
  return [...clusters.sort((a, b) => b.count - a.count), ...noise];
}

function describeSizes(
  sizes: readonly ClusterSize[],
  total: number,
  subtitles: readonly string[],
): string {
  const sentences = [
    `Bar chart of cluster sizes.`,
    ...subtitles.map((line) => line.endsWith(".") ? line : `${line}.`),
  ];
  const listed = sizes.slice(0, 12).map((size) =>
    `${clusterName(size.label)} ${formatCount(size.count)}`
  );
  if (total > 0) {
    const more = sizes.length > listed.length
      ? `, and ${formatCount(sizes.length - listed.length)} more`
      : "";
    sentences.push(`Sizes: ${listed.join(", ")}${more}.`);
  }
  return sentences.join(" ");
}
