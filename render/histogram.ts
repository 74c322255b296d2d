/** Histogram of a numeric column for one cluster against the whole table. */

import * as Plot from "@observablehq/plot";
import { bin, median, thresholdSturges } from "d3-array";
import { createDocument, type XmlElement } from "./dom.ts";
import type { LiteralTimeInterval } from "@observablehq/plot";
import {
  DAY_MS,
  formatCount,
  formatPercent,
  formatQuantity,
  formatUtc,
  formatValue,
  truncateText,
  type UtcPrecision,
  utcPrecisionOf,
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
  /**
   * Reads the values as UTC instants in epoch milliseconds, as DATE and
   * TIMESTAMP columns arrive. The x axis then shows dates, and bins follow
   * calendar units such as days or months. Defaults to false.
   */
  readonly temporal?: boolean;
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

  const temporal = input.temporal ?? false;
  const formatX = temporal ? (value: number) => formatUtc(value) : formatValue;
  const note = findDegenerateCase(table, cluster, input.column, name, formatX);
  if (note !== undefined) {
    const description = chart.description ??
      `Histogram of ${input.column} in ${name} against all rows. ${note}`;
    return renderNoteChart(chart, content, note, description);
  }

  const { tableBins, clusterBins } = binBothGroups(
    table.values,
    cluster.values,
    input.binCount,
    temporal,
  );
  const domain = [tableBins[0]!.x0, tableBins.at(-1)!.x1];
  const formatEdge = temporal
    ? formatUtcWith(utcPrecisionOf(tableBins.flatMap((b) => [b.x0, b.x1])))
    : formatValue;

  const description = chart.description ??
    describeHistogram(
      input.column,
      name,
      table,
      cluster,
      tableBins.length,
      formatX,
    );
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
      ...(temporal
        ? { type: "utc", domain: domain.map((ms) => new Date(ms)) }
        : { domain }),
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
        formatEdge,
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
  formatX: (value: number) => string,
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
      formatX(min)
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
 * Temporal values get calendar bins from {@linkcode temporalBins}.
 */
export function binBothGroups(
  tableValues: Float64Array,
  clusterValues: Float64Array,
  binCount?: number,
  temporal = false,
): { tableBins: ShareBin[]; clusterBins: ShareBin[] } {
  const range = valueRange(tableValues);
  const count = binCount ?? thresholdSturges(tableValues);
  const calendar = temporal ? temporalBins(range, count) : null;
  const domain = calendar?.domain ?? range;
  const tableBins = toShareBins(
    bin().domain(domain).thresholds(calendar?.thresholds ?? count)(
      tableValues,
    ),
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

/**
 * Calendar intervals for temporal bins, by name for Plot's `utcInterval`
 * with their approximate length in milliseconds. Multiples such as "2 days"
 * are left out where the interval restarts each month or year, which would
 * give a short bin there.
 */
const CALENDAR_INTERVALS: readonly (readonly [LiteralTimeInterval, number])[] =
  [
    ["second", 1e3],
    ["5 seconds", 5e3],
    ["15 seconds", 15e3],
    ["30 seconds", 30e3],
    ["minute", 60e3],
    ["5 minutes", 300e3],
    ["15 minutes", 900e3],
    ["30 minutes", 1800e3],
    ["hour", 3600e3],
    ["3 hours", 3 * 3600e3],
    ["6 hours", 6 * 3600e3],
    ["12 hours", 12 * 3600e3],
    ["day", DAY_MS],
    ["week", 7 * DAY_MS],
    ["month", 30 * DAY_MS],
    ["3 months", 91 * DAY_MS],
    ["6 months", 182 * DAY_MS],
    ["year", 365 * DAY_MS],
    ["2 years", 730 * DAY_MS],
    ["5 years", 1826 * DAY_MS],
    ["10 years", 3652 * DAY_MS],
    ["20 years", 7305 * DAY_MS],
    ["50 years", 18262 * DAY_MS],
    ["100 years", 36524 * DAY_MS],
  ];

/** Upper bound of calendar bins; longer spans fall back to numeric bins. */
const MAX_CALENDAR_BINS = 200;

/**
 * Picks the shortest calendar interval that splits the range into at most
 * about `count` bins, and returns the domain widened to whole intervals with
 * the boundaries inside it. Returns null when even a century gives more than
 * {@linkcode MAX_CALENDAR_BINS} bins.
 */
export function temporalBins(
  [min, max]: readonly [number, number],
  count: number,
): { domain: [number, number]; thresholds: number[] } | null {
  const target = (max - min) / Math.max(1, count);
  const entry = CALENDAR_INTERVALS.find(([, length]) => length >= target) ??
    CALENDAR_INTERVALS.at(-1)!;
  if ((max - min) / entry[1] > MAX_CALENDAR_BINS) return null;
  const interval = Plot.utcInterval(entry[0]);
  const start = interval.floor(new Date(min)).getTime();
  const stop = interval.ceil(new Date(max)).getTime();
  const thresholds = interval.range(new Date(start + 1), new Date(stop))
    .map((date) => date.getTime());
  return { domain: [start, stop], thresholds };
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
  /** Formats a bin edge for the tooltips. */
  readonly formatEdge: (value: number) => string;
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
    return `${style.formatEdge(b.x0)} to ${style.formatEdge(b.x1)}: ${
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

function formatUtcWith(
  precision: UtcPrecision,
): (epochMs: number) => string {
  return (epochMs) => formatUtc(epochMs, precision);
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
  formatX: (value: number) => string,
): string {
  const clusterMedian = median(cluster.values)!;
  const tableMedian = median(table.values)!;
  return `Histogram of ${column} in ${name} (${
    formatQuantity(cluster.values.length, "value")
  }) against all rows (${
    formatQuantity(table.values.length, "value")
  }), as shares of each group in ${
    formatQuantity(binCount, "bin")
  }. The median is ${formatX(clusterMedian)} in ${name} and ${
    formatX(tableMedian)
  } in all rows.`;
}
