/** Histogram of a numeric column for one cluster against the whole table. */

import * as Plot from "@observablehq/plot";
import { bin, median, thresholdSturges } from "d3-array";
import { createDocument, type XmlElement } from "./dom.ts";
import {
  formatCount,
  formatPercent,
  formatQuantity,
  formatValue,
  truncateText,
} from "./format.ts";
import {
  finishChart,
  type HeaderContent,
  layoutHeader,
  PADDING,
  renderNoteChart,
  yAxisLabel,
} from "./frame.ts";
import {
  type ChartOptions,
  requireIntegerInRange,
  requireSameLength,
  resolveChartOptions,
} from "./options.ts";
import { clusterColor, clusterName } from "./palette.ts";

/** Input of {@linkcode renderHistogram}. */
export interface HistogramInput extends ChartOptions {
  /** The column's value per row. NaN and infinities count as missing. */
  readonly values: Float64Array;
  /** Row mask with a non-zero entry for each row of the cluster. */
  readonly selection: Uint8Array;
  /** Column name, shown in the title and on the x axis. */
  readonly column: string;
  /** Label of the selected cluster, -1 for noise, which sets the colour. */
  readonly cluster: number;
  /** Suggested bin count, from 1 to 200. Defaults to Sturges' rule on the whole table. */
  readonly binCount?: number;
}

/** Left margin, wide enough for tick labels such as "12.5%". */
const MARGIN_LEFT = 48;

/** One histogram bin with the share of its group's non-missing values. */
export interface ShareBin {
  readonly x0: number;
  readonly x1: number;
  readonly count: number;
  readonly share: number;
}

/** Rows and non-missing values of one group, the cluster or the table. */
interface Group {
  readonly rows: number;
  readonly values: Float64Array;
}

/**
 * Renders the distribution of a numeric column in one cluster over the same
 * distribution in the whole table. Both are proportions of their own
 * non-missing values and share one set of bins from d3-array, so their shapes
 * compare directly even when the cluster is small. The table is drawn as a
 * muted outline over a faint area, and the cluster as bars in its cluster
 * colour.
 *
 * @throws {RangeError} when `selection` and `values` differ in length, the
 * cluster label is below -1, or an option is out of range.
 */
export function renderHistogram(input: HistogramInput): string {
  const name = clusterName(input.cluster);
  const color = clusterColor(input.cluster);
  const chart = resolveChartOptions(
    "histogram",
    input,
    `${input.column} in ${name}`,
  );
  requireSameLength(
    "histogram",
    "selection",
    input.selection.length,
    "values",
    input.values.length,
  );
  if (input.binCount !== undefined) {
    requireIntegerInRange("histogram", "binCount", input.binCount, 1, 200);
  }

  const { table, cluster } = splitGroups(input.values, input.selection);
  const content: HeaderContent = {
    subtitles: [
      "Shares of each group's non-missing values, in the same bins.",
      ...describeMissing(table, cluster, name),
    ],
    legend: [
      {
        label: `${name} (${formatQuantity(cluster.rows, "row")})`,
        color,
        shape: "square",
      },
      {
        label: `all rows (${formatCount(table.rows)})`,
        color: chart.colors.muted,
        shape: "outline",
      },
    ],
  };

  const note = findDegenerateCase(table, cluster, input.column, name);
  if (note !== undefined) {
    const description = chart.description ??
      `Histogram of ${input.column} in ${name} against all rows. ${note}`;
    return renderNoteChart(chart, content, note, description);
  }

  const [min, max] = valueRange(table.values);
  const { tableBins, clusterBins } = binBothGroups(
    table.values,
    cluster.values,
    input.binCount,
  );

  const description = chart.description ??
    describeHistogram(input.column, name, table, cluster, tableBins.length);
  const document = createDocument();
  const header = layoutHeader(chart, content);
  const svg = Plot.plot({
    document,
    width: chart.width,
    height: chart.height,
    marginTop: header.height + 24,
    marginRight: PADDING + 8,
    marginBottom: 40,
    marginLeft: MARGIN_LEFT,
    x: {
      label: truncateText(input.column, chart.width - 2 * PADDING, 10),
      labelAnchor: "center",
      labelArrow: "none",
      domain: [min, max],
    },
    y: {
      label: null,
      grid: true,
      tickFormat: formatTickPercent,
    },
    marks: [
      ...tableAndClusterMarks(tableBins, clusterBins, {
        name,
        color,
        muted: chart.colors.muted,
      }),
      yAxisLabel("share of non-missing values", MARGIN_LEFT),
    ],
  }) as XmlElement;

  return finishChart(document, svg, chart, header, description);
}

/** Collects the non-missing values of the whole table and of the cluster. */
function splitGroups(
  values: Float64Array,
  selection: Uint8Array,
): { table: Group; cluster: Group } {
  const tableValues = new Float64Array(values.length);
  const clusterValues = new Float64Array(values.length);
  let tableCount = 0;
  let clusterCount = 0;
  let clusterRows = 0;
  for (let row = 0; row < values.length; row++) {
    const selected = selection[row] !== 0;
    if (selected) clusterRows++;
    const value = values[row]!;
    if (!Number.isFinite(value)) continue;
    tableValues[tableCount++] = value;
    if (selected) clusterValues[clusterCount++] = value;
  }
  return {
    table: { rows: values.length, values: tableValues.subarray(0, tableCount) },
    cluster: {
      rows: clusterRows,
      values: clusterValues.subarray(0, clusterCount),
    },
  };
}

/** Returns the note for data with nothing to bin, or undefined if it bins. */
function findDegenerateCase(
  table: Group,
  cluster: Group,
  column: string,
  name: string,
): string | undefined {
  if (table.rows === 0) {
    return "The table has no rows, so there is nothing to show.";
  }
  if (cluster.rows === 0) {
    return `No rows belong to ${name}, so there is nothing to compare.`;
  }
  if (table.values.length === 0) {
    return `All ${
      formatQuantity(table.rows, "value")
    } of "${column}" are missing.`;
  }
  const [min, max] = valueRange(table.values);
  if (min === max) {
    return `Every non-missing value of "${column}" is ${
      formatValue(min)
    }, so there is no spread to bin.`;
  }
  if (cluster.values.length === 0) {
    return `All ${
      formatQuantity(cluster.rows, "value")
    } of "${column}" in ${name} are missing.`;
  }
  return undefined;
}

function valueRange(values: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

/**
 * Bins the table's values with d3-array, by Sturges' rule unless `binCount`
 * is given, then bins the cluster's values with the same edges. Each count is
 * also given as a share of its own group's values. The table must hold at
 * least two distinct values, and the cluster's values must lie in its range.
 */
export function binBothGroups(
  tableValues: Float64Array,
  clusterValues: Float64Array,
  binCount?: number,
): { tableBins: ShareBin[]; clusterBins: ShareBin[] } {
  const domain = valueRange(tableValues);
  const tableBins = toShareBins(
    bin().domain(domain).thresholds(binCount ?? thresholdSturges)(tableValues),
    tableValues.length,
  );

  // The cluster reuses the table's inner edges so both histograms line up.
  const edges = tableBins.slice(1).map((b) => b.x0);
  const clusterBins = toShareBins(
    bin().domain(domain).thresholds(edges)(clusterValues),
    clusterValues.length,
  );
  return { tableBins, clusterBins };
}

/** Adds each bin's share of `total` to the bins that d3-array returns. */
function toShareBins(
  bins: ReadonlyArray<{ x0?: number; x1?: number; length: number }>,
  total: number,
): ShareBin[] {
  return bins.map((b) => ({
    x0: b.x0!,
    x1: b.x1!,
    count: b.length,
    share: total === 0 ? 0 : b.length / total,
  }));
}

interface MarkStyle {
  readonly name: string;
  readonly color: string;
  readonly muted: string;
}

/**
 * Draws the table as a faint area, the cluster as bars over it, and the
 * table's outline last so it stays visible where the bars cover the area.
 */
function tableAndClusterMarks(
  tableBins: readonly ShareBin[],
  clusterBins: readonly ShareBin[],
  style: MarkStyle,
): Plot.Markish[] {
  const first = tableBins[0]!;
  const last = tableBins.at(-1)!;
  const outline = [
    { x: first.x0, share: 0 },
    ...tableBins.map((b) => ({ x: b.x0, share: b.share })),
    { x: last.x1, share: last.share },
    { x: last.x1, share: 0 },
  ];
  const titles = clusterBins.map((b, index) => {
    const tableBin = tableBins[index]!;
    return `${formatValue(b.x0)} to ${formatValue(b.x1)}: ${
      formatPercent(b.share)
    } of ${style.name} (${formatCount(b.count)}), ${
      formatPercent(tableBin.share)
    } of all rows (${formatCount(tableBin.count)})`;
  });

  return [
    Plot.rectY(tableBins, {
      x1: "x0",
      x2: "x1",
      y: "share",
      fill: style.muted,
      fillOpacity: 0.18,
    }),
    Plot.rectY(clusterBins, {
      x1: "x0",
      x2: "x1",
      y: "share",
      fill: style.color,
      fillOpacity: 0.8,
      insetLeft: 1,
      insetRight: 1,
      title: (_: ShareBin, index: number) => titles[index],
    }),
    Plot.line(outline, {
      x: "x",
      y: "share",
      curve: "step-after",
      stroke: style.muted,
      strokeWidth: 1.5,
    }),
    Plot.ruleY([0]),
  ];
}

function formatTickPercent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function describeMissing(table: Group, cluster: Group, name: string): string[] {
  const tableMissing = table.rows - table.values.length;
  const clusterMissing = cluster.rows - cluster.values.length;
  if (tableMissing === 0) return [];
  return [
    `Missing values left out: ${formatCount(clusterMissing)} of ${
      formatCount(cluster.rows)
    } in ${name}, ${formatCount(tableMissing)} of ${
      formatCount(table.rows)
    } in all rows.`,
  ];
}

function describeHistogram(
  column: string,
  name: string,
  table: Group,
  cluster: Group,
  binCount: number,
): string {
  const clusterMedian = median(cluster.values)!;
  const tableMedian = median(table.values)!;
  return `Histogram of ${column} in ${name} (${
    formatQuantity(cluster.values.length, "value")
  }) against all rows (${
    formatQuantity(table.values.length, "value")
  }), as shares of each group in ${
    formatQuantity(binCount, "bin")
  }. The median is ${formatValue(clusterMedian)} in ${name} and ${
    formatValue(tableMedian)
  } in all rows.`;
}
