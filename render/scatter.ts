/** Scatter chart of the 2-D projection, coloured by cluster. */

import * as Plot from "@observablehq/plot";
import { allNoiseNote } from "./clusters.ts";
import { createDocument, type XmlElement } from "./dom.ts";
import { formatCount, formatPercent, formatQuantity } from "./format.ts";
import {
  finishChart,
  type HeaderContent,
  layoutHeader,
  renderNoteChart,
} from "./frame.ts";
import type { LegendItem } from "./legend.ts";
import {
  type ChartOptions,
  requireIntegerInRange,
  requireSameLength,
  resolveChartOptions,
} from "./options.ts";
import {
  clusterColor,
  clusterName,
  NOISE_COLOR,
  NOISE_LABEL,
} from "./palette.ts";

/** Input of {@linkcode renderScatter}: one entry per row in each array. */
export interface ScatterInput extends ChartOptions {
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** HDBSCAN label per row, -1 for noise. */
  readonly labels: Int32Array;
  /** Row number shown in each dot's tooltip. Defaults to the array index. */
  readonly rowNumbers?: ArrayLike<number>;
  /**
   * Maximum number of points drawn as single dots with a tooltip each. Above it the chart
   * draws hexagonal bins instead, so the file size stops growing with the
   * row count. Defaults to 1000.
   */
  readonly maxDots?: number;
  /** The min_cluster_size of the clustering, named in the all-noise note. */
  readonly minClusterSize?: number;
}

const DEFAULT_MAX_DOTS = 1000;
const DOT_RADIUS = 2.5;
const NOISE_DOT_RADIUS = 2;
const PLOT_MARGIN = 10;

/**
 * Number of hexagons that tile the plot area, which sets the bin width. A
 * hexagon with its tooltip takes 150 to 200 bytes, and noise and clusters
 * form separate layers, so even a plot that both layers cover completely
 * stays below about 700 KB.
 */
const MAX_HEXAGONS = 2000;
const MIN_BIN_WIDTH = 6;

/** Points of one chart split into layers, with counts for the captions. */
interface ScatterPoints {
  /** Noise rows with finite coordinates. */
  readonly noise: Int32Array;
  /** Cluster rows with finite coordinates. */
  readonly clustered: Int32Array;
  /** Row count per cluster label, in label order, noise excluded. */
  readonly clusterSizes: ReadonlyMap<number, number>;
  /** Count of rows left out for a non-finite coordinate. */
  readonly missing: number;
}

/**
 * Renders the 2-D projection as a standalone SVG, each point coloured by its
 * cluster with {@linkcode clusterColor} and noise drawn grey underneath. Up
 * to `maxDots` points are dots with a `<title>` tooltip naming the row and
 * its cluster. Above that, hexagonal bins take the colour of their most
 * common cluster and an opacity that grows with their point count. Rows with
 * a non-finite coordinate are left out and counted in the subtitle.
 *
 * @throws {RangeError} when the arrays differ in length, a label is below
 * -1, or an option is out of range.
 */
export function renderScatter(input: ScatterInput): string {
  const chart = resolveChartOptions(
    "scatter",
    input,
    "Clusters in the 2-D projection",
  );
  const { x, y, labels } = input;
  requireSameLength("scatter", "y", y.length, "x", x.length);
  requireSameLength("scatter", "labels", labels.length, "x", x.length);
  if (input.rowNumbers !== undefined) {
    requireSameLength(
      "scatter",
      "rowNumbers",
      input.rowNumbers.length,
      "x",
      x.length,
    );
  }
  const maxDots = input.maxDots ?? DEFAULT_MAX_DOTS;
  requireIntegerInRange("scatter", "maxDots", maxDots, 0, 1_000_000);

  const points = splitPoints(x, y, labels);
  const drawn = points.noise.length + points.clustered.length;
  const density = drawn > maxDots;
  const content = describeContent(points, density, maxDots, input);
  const description = chart.description ??
    describeScatter(points, density, content);

  if (x.length === 0) {
    const note = "The table has no rows, so there is nothing to draw.";
    return renderNoteChart(chart, content, note, description);
  }
  if (drawn === 0) {
    const note = x.length === 1
      ? "The only row has no finite coordinates to draw."
      : `None of the ${
        formatCount(x.length)
      } rows has finite coordinates to draw.`;
    return renderNoteChart(chart, content, note, description);
  }

  const document = createDocument();
  const header = layoutHeader(chart, content);
  const clusterLabels = [...points.clusterSizes.keys()];
  const plotWidth = chart.width - 2 * PLOT_MARGIN;
  const plotHeight = Math.max(
    1,
    chart.height - header.height - 4 - PLOT_MARGIN,
  );
  const binWidth = Math.max(
    MIN_BIN_WIDTH,
    Math.sqrt((plotWidth * plotHeight) / (MAX_HEXAGONS * Math.sqrt(3) / 2)),
  );

  const svg = Plot.plot({
    document,
    width: chart.width,
    height: chart.height,
    marginTop: header.height + 4,
    marginRight: PLOT_MARGIN,
    marginBottom: PLOT_MARGIN,
    marginLeft: PLOT_MARGIN,
    inset: density ? binWidth : DOT_RADIUS + 2,
    axis: null,
    x: { domain: extent(x, points) },
    y: { domain: extent(y, points) },
    color: {
      type: "ordinal",
      domain: clusterLabels,
      range: clusterLabels.map(clusterColor),
    },
    opacity: { type: "sqrt", range: [0.25, 1] },
    marks: [
      Plot.frame({ stroke: chart.colors.muted, strokeOpacity: 0.3 }),
      ...(density
        ? densityMarks(x, y, labels, points, binWidth)
        : dotMarks(x, y, labels, points, input.rowNumbers)),
    ],
  }) as XmlElement;

  return finishChart(document, svg, chart, header, description);
}

/** Sorts the points into the noise and cluster layers and counts them. */
function splitPoints(
  x: Float32Array,
  y: Float32Array,
  labels: Int32Array,
): ScatterPoints {
  const noise: number[] = [];
  const clustered: number[] = [];
  const sizes = new Map<number, number>();
  let missing = 0;
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row]!;
    if (label < NOISE_LABEL) {
      throw new RangeError(
        `Cannot render the scatter chart: row ${row} has label ${label}; expected -1 (noise) or a cluster label of at least 0.`,
      );
    }
    if (!Number.isFinite(x[row]!) || !Number.isFinite(y[row]!)) {
      missing++;
    } else if (label === NOISE_LABEL) {
      noise.push(row);
    } else {
      clustered.push(row);
      sizes.set(label, (sizes.get(label) ?? 0) + 1);
    }
  }
  const ordered = new Map([...sizes].sort((a, b) => a[0] - b[0]));
  return {
    noise: Int32Array.from(noise),
    clustered: Int32Array.from(clustered),
    clusterSizes: ordered,
    missing,
  };
}

/** Returns the range of the finite coordinates, widened if it is a point. */
function extent(values: Float32Array, points: ScatterPoints): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const layer of [points.noise, points.clustered]) {
    for (const row of layer) {
      const value = values[row]!;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return min === max ? [min - 1, max + 1] : [min, max];
}

function dotMarks(
  x: Float32Array,
  y: Float32Array,
  labels: Int32Array,
  points: ScatterPoints,
  rowNumbers: ArrayLike<number> | undefined,
): Plot.Markish[] {
  const tooltip = (row: number) =>
    `row ${rowNumbers?.[row] ?? row}, ${clusterName(labels[row]!)}`;
  return [
    Plot.dot(points.noise, {
      x: (row: number) => x[row],
      y: (row: number) => y[row],
      r: NOISE_DOT_RADIUS,
      fill: NOISE_COLOR,
      fillOpacity: 0.7,
      title: tooltip,
    }),
    Plot.dot(points.clustered, {
      x: (row: number) => x[row],
      y: (row: number) => y[row],
      r: DOT_RADIUS,
      fill: (row: number) => labels[row],
      fillOpacity: 0.9,
      title: tooltip,
    }),
  ];
}

/**
 * Hexagonal bins in two layers: noise bins first, grey, then cluster bins in
 * the colour of their most common cluster. Both layers share one opacity
 * scale, so equal counts look equally dense.
 */
function densityMarks(
  x: Float32Array,
  y: Float32Array,
  labels: Int32Array,
  points: ScatterPoints,
  binWidth: number,
): Plot.Markish[] {
  const noiseX = Float64Array.from(points.noise, (row) => x[row]!);
  const noiseY = Float64Array.from(points.noise, (row) => y[row]!);
  const clusterX = Float64Array.from(points.clustered, (row) => x[row]!);
  const clusterY = Float64Array.from(points.clustered, (row) => y[row]!);
  const clusterLabels = Int32Array.from(
    points.clustered,
    (row) => labels[row]!,
  );

  return [
    Plot.hexagon(
      noiseX,
      Plot.hexbin({
        fillOpacity: "count",
        title: (values: ArrayLike<unknown>) =>
          `${formatQuantity(values.length, "noise point")}`,
      }, {
        x: noiseX,
        y: noiseY,
        fill: NOISE_COLOR,
        title: noiseX,
        binWidth,
      }),
    ),
    Plot.hexagon(
      clusterX,
      Plot.hexbin({
        fill: (values: ArrayLike<number>) => dominantLabel(values).label,
        fillOpacity: "count",
        title: describeBin,
      }, {
        x: clusterX,
        y: clusterY,
        fill: clusterLabels,
        title: clusterLabels,
        z: null,
        binWidth,
      }),
    ),
  ];
}

/** Finds the most common label of a bin; ties go to the lowest label. */
function dominantLabel(
  values: ArrayLike<number>,
): { label: number; count: number } {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
  }
  let label = Infinity;
  let count = 0;
  for (const [candidate, candidateCount] of counts) {
    if (
      candidateCount > count || (candidateCount === count && candidate < label)
    ) {
      label = candidate;
      count = candidateCount;
    }
  }
  return { label, count };
}

function describeBin(values: ArrayLike<number>): string {
  const { label, count } = dominantLabel(values);
  return `${formatQuantity(values.length, "point")}, ${
    formatPercent(count / values.length)
  } in ${clusterName(label)}`;
}

/** Builds the subtitle lines and legend. */
function describeContent(
  points: ScatterPoints,
  density: boolean,
  maxDots: number,
  input: ScatterInput,
): HeaderContent {
  const clusterCount = points.clusterSizes.size;
  const drawn = points.noise.length + points.clustered.length;
  const subtitles = [
    `${formatQuantity(drawn, "point")} · ${
      formatQuantity(clusterCount, "cluster")
    } · ${formatCount(points.noise.length)} noise`,
  ];
  if (density) {
    subtitles.push(
      `More than ${
        formatQuantity(maxDots, "point")
      }, so hexagons show each area's main cluster, shaded by point count.`,
    );
  }
  if (clusterCount === 0 && points.noise.length > 0) {
    subtitles.push(allNoiseNote(points.noise.length, input.minClusterSize));
  }
  if (points.missing > 0) {
    subtitles.push(
      `${
        formatQuantity(points.missing, "row")
      } without finite coordinates left out.`,
    );
  }

  const legend: LegendItem[] = [...points.clusterSizes].map((
    [label, count],
  ) => ({
    label: `${label} (${formatCount(count)})`,
    color: clusterColor(label),
  }));
  if (points.noise.length > 0) {
    legend.push({
      label: `noise (${formatCount(points.noise.length)})`,
      color: NOISE_COLOR,
    });
  }
  return { subtitles, legend };
}

function describeScatter(
  points: ScatterPoints,
  density: boolean,
  content: HeaderContent,
): string {
  const sentences = [
    `Scatter plot of the 2-D projection, coloured by cluster.`,
    ...(content.subtitles ?? []).slice(0, 1).map((line) => `${line}.`),
  ];
  let largest: [number, number] | undefined;
  for (const entry of points.clusterSizes) {
    if (largest === undefined || entry[1] > largest[1]) largest = entry;
  }
  if (largest !== undefined) {
    sentences.push(
      `The largest is ${clusterName(largest[0])} with ${
        formatQuantity(largest[1], "point")
      }.`,
    );
  }
  sentences.push(...(content.subtitles ?? []).slice(1));
  if (!density && points.noise.length + points.clustered.length > 0) {
    sentences.push("Each dot has a tooltip with its row and cluster.");
  }
  return sentences.join(" ");
}
