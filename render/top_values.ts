/** Bar chart of the most common values of a text column in one cluster. */

import * as Plot from "@observablehq/plot";
import { createDocument, type XmlElement } from "./dom.ts";
import {
  estimateTextWidth,
  formatCount,
  formatPercent,
  formatQuantity,
  truncateText,
} from "./format.ts";
import {
  finishChart,
  type HeaderContent,
  layoutHeader,
  PADDING,
  renderNoteChart,
} from "./frame.ts";
import {
  type ChartOptions,
  requireIntegerInRange,
  requireSameLength,
  resolveChartOptions,
} from "./options.ts";
import { clusterColor, clusterName } from "./palette.ts";

/** Input of {@linkcode renderTopValues}. */
export interface TopValuesInput extends ChartOptions {
  /** The column's value per row. Null means missing and is counted as its own value. */
  readonly values: readonly (string | null)[];
  /** Row mask with a non-zero entry for each row of the cluster. */
  readonly selection: Uint8Array;
  /** Column name, shown in the title. */
  readonly column: string;
  /** Label of the selected cluster, -1 for noise, which sets the colour. */
  readonly cluster: number;
  /** Values to show, from 1 to 50. Defaults to 10. */
  readonly top?: number;
}

/** Counts of one distinct value in the cluster and in the whole table. */
interface ValueCount {
  readonly value: string | null;
  clusterCount: number;
  tableCount: number;
}

/** Shares of one value, and the tooltip of its cluster bar. */
interface ValueBar {
  readonly index: number;
  readonly clusterShare: number;
  readonly tableShare: number;
  readonly title: string;
}

const FONT_SIZE = 10;
const MARGIN_BOTTOM = 36;
/** Padding between and around the bands, as a fraction of a band step. */
const BAND_PADDING = 0.25;
/** Smallest band that fits a percentage label on each of its two bars. */
const MIN_BAND_FOR_TWO_LABELS = 26;
/** Smallest band that fits a percentage label on the cluster bar. */
const MIN_BAND_FOR_ONE_LABEL = 12;
const MISSING_LABEL = "(missing)";
const EMPTY_LABEL = "(empty string)";

/**
 * Renders the `top` most common values of a text column in one cluster as
 * bars in the cluster colour, each with a thinner muted bar below it for the
 * value's share in the whole table. Values are ranked by their count in the cluster, then by
 * their count in the table, then by code unit order, so ties always rank the
 * same way.
 *
 * @throws {RangeError} when `selection` and `values` differ in length, the
 * cluster label is below -1, or `top` is out of range.
 */
export function renderTopValues(input: TopValuesInput): string {
  const name = clusterName(input.cluster);
  const color = clusterColor(input.cluster);
  const chart = resolveChartOptions(
    "top values",
    input,
    `Top values of ${input.column} in ${name}`,
  );
  requireSameLength(
    "top values",
    "selection",
    input.selection.length,
    "values",
    input.values.length,
  );
  const top = input.top ?? 10;
  requireIntegerInRange("top values", "top", top, 1, 50);

  const { counts, clusterRows } = countValues(input.values, input.selection);
  const tableRows = input.values.length;
  const ranked = rankValues(counts).slice(0, top);
  const distinct = counts.filter((count) => count.clusterCount > 0).length;
  const covered = ranked.reduce((sum, count) => sum + count.clusterCount, 0);

  const subtitles = [
    `Top ${formatCount(ranked.length)} of ${
      formatQuantity(distinct, "distinct value")
    } in ${name}, covering ${
      formatPercent(clusterRows === 0 ? 0 : covered / clusterRows)
    } of its rows.`,
  ];
  if (distinct === 1) {
    subtitles.push(
      `Every row of ${name} has the same value of "${input.column}".`,
    );
  }
  const content: HeaderContent = {
    subtitles,
    legend: [
      {
        label: `${name} (${formatQuantity(clusterRows, "row")})`,
        color,
        shape: "square",
      },
      {
        label: `all rows (${formatCount(tableRows)})`,
        color: chart.colors.muted,
        shape: "outline",
      },
    ],
  };

  const note = findEmptyCase(
    tableRows,
    clusterRows,
    ranked,
    input.column,
    name,
  );
  if (note !== undefined) {
    const description = chart.description ??
      `Top values of ${input.column} in ${name}. ${note}`;
    return renderNoteChart(chart, content, note, description);
  }

  const bars: ValueBar[] = ranked.map((count, index) => ({
    index,
    clusterShare: count.clusterCount / clusterRows,
    tableShare: count.tableCount / tableRows,
    title: `${displayValue(count.value)}: ${
      formatPercent(count.clusterCount / clusterRows)
    } of ${name} (${formatCount(count.clusterCount)}), ${
      formatPercent(count.tableCount / tableRows)
    } of all rows (${formatCount(count.tableCount)})`,
  }));
  const description = chart.description ??
    describeTopValues(input.column, name, ranked, clusterRows, tableRows);

  // Ticks are indices, so two values that truncate alike keep separate bars.
  const maxLabelWidth = chart.width * 0.35;
  const labels = ranked.map((count) =>
    truncateText(displayValue(count.value), maxLabelWidth, FONT_SIZE)
  );
  const marginLeft = PADDING + 8 +
    Math.max(...labels.map((label) => estimateTextWidth(label, FONT_SIZE)));

  const document = createDocument();
  const header = layoutHeader(chart, content);
  const marginTop = header.height + 8;
  const bandwidth = bandHeight(
    chart.height - marginTop - MARGIN_BOTTOM,
    bars.length,
  );
  const svg = Plot.plot({
    document,
    width: chart.width,
    height: chart.height,
    marginTop,
    marginRight: PADDING + 36,
    marginBottom: MARGIN_BOTTOM,
    marginLeft,
    x: {
      label: "share of rows",
      labelAnchor: "center",
      labelArrow: "none",
      grid: true,
      tickFormat: (share: number) => `${Math.round(share * 1000) / 10}%`,
    },
    y: {
      type: "band",
      domain: bars.map((bar) => bar.index),
      tickFormat: (index: number) => labels[index],
      label: null,
      padding: BAND_PADDING,
      round: false,
    },
    marks: [
      ...pairedBarMarks(bars, bandwidth, color, chart.colors.muted),
      Plot.ruleX([0]),
    ],
  }) as XmlElement;

  return finishChart(document, svg, chart, header, description);
}

/**
 * Returns the pixel height of one band of a d3 band scale that spreads
 * `count` bands over `span` pixels, with equal inner and outer padding and
 * no rounding, as the y scale above is set up.
 */
function bandHeight(span: number, count: number): number {
  const step = span / (count + BAND_PADDING);
  return step * (1 - BAND_PADDING);
}

/**
 * Draws two bars in each band: the cluster's share on top in the cluster
 * colour, and the whole table's share below it, thinner and muted. Labels
 * are left out when the bands are too thin to hold them.
 */
function pairedBarMarks(
  bars: readonly ValueBar[],
  bandwidth: number,
  color: string,
  muted: string,
): Plot.Markish[] {
  const marks: Plot.Markish[] = [
    Plot.barX(bars, {
      x: "clusterShare",
      y: "index",
      fill: color,
      insetBottom: bandwidth * 0.45,
      title: "title",
    }),
    Plot.barX(bars, {
      x: "tableShare",
      y: "index",
      fill: muted,
      fillOpacity: 0.45,
      insetTop: bandwidth * 0.65,
      title: "title",
    }),
  ];
  if (bandwidth >= MIN_BAND_FOR_ONE_LABEL) {
    marks.push(Plot.text(bars, {
      x: "clusterShare",
      y: "index",
      text: (bar: ValueBar) => formatPercent(bar.clusterShare),
      textAnchor: "start",
      dx: 4,
      dy: -bandwidth * 0.225,
    }));
  }
  if (bandwidth >= MIN_BAND_FOR_TWO_LABELS) {
    marks.push(Plot.text(bars, {
      x: "tableShare",
      y: "index",
      text: (bar: ValueBar) => formatPercent(bar.tableShare),
      textAnchor: "start",
      dx: 4,
      dy: bandwidth * 0.325,
      fill: muted,
      fontSize: 9,
    }));
  }
  return marks;
}

/** Counts every distinct value in the cluster and in the whole table. */
function countValues(
  values: readonly (string | null)[],
  selection: Uint8Array,
): { counts: ValueCount[]; clusterRows: number } {
  const byValue = new Map<string | null, ValueCount>();
  let clusterRows = 0;
  for (let row = 0; row < values.length; row++) {
    const value = values[row] ?? null;
    let count = byValue.get(value);
    if (count === undefined) {
      count = { value, clusterCount: 0, tableCount: 0 };
      byValue.set(value, count);
    }
    count.tableCount++;
    if (selection[row] !== 0) {
      count.clusterCount++;
      clusterRows++;
    }
  }
  return { counts: [...byValue.values()], clusterRows };
}

/** Returns the note for data with no values to rank, or undefined. */
function findEmptyCase(
  tableRows: number,
  clusterRows: number,
  ranked: readonly ValueCount[],
  column: string,
  name: string,
): string | undefined {
  if (tableRows === 0) {
    return "The table has no rows, so there is nothing to show.";
  }
  if (clusterRows === 0) {
    return `No rows belong to ${name}, so there is nothing to compare.`;
  }
  if (ranked.length === 1 && ranked[0]!.value === null) {
    return `All ${
      formatQuantity(clusterRows, "value")
    } of "${column}" in ${name} are missing.`;
  }
  return undefined;
}

/** Orders the values present in the cluster, most common first. */
function rankValues(counts: readonly ValueCount[]): ValueCount[] {
  return counts
    .filter((count) => count.clusterCount > 0)
    .sort((a, b) =>
      b.clusterCount - a.clusterCount ||
      b.tableCount - a.tableCount ||
      compareValues(a.value, b.value)
    );
}

/** Orders values by code units, with the missing value last. */
function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function displayValue(value: string | null): string {
  if (value === null) return MISSING_LABEL;
  if (value === "") return EMPTY_LABEL;
  return value;
}

function describeTopValues(
  column: string,
  name: string,
  ranked: readonly ValueCount[],
  clusterRows: number,
  tableRows: number,
): string {
  const listed = ranked.slice(0, 5).map((count) =>
    `${displayValue(count.value)} ${
      formatPercent(count.clusterCount / clusterRows)
    } (${formatPercent(count.tableCount / tableRows)} of all rows)`
  );
  return `Bar chart of the most common values of ${column} in ${name} (${
    formatQuantity(clusterRows, "row")
  }) against their share of all ${
    formatQuantity(tableRows, "row")
  }. Most common: ${listed.join(", ")}.`;
}
