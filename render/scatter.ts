/** Scatter chart of the 2-D projection, coloured by cluster. */

import * as Plot from "@observablehq/plot";
import { allNoiseNote } from "./clusters.ts";
import { createDocument, type XmlElement } from "./dom.ts";
import { formatCount, formatQuantity } from "./format.ts";
import {
  finishChart,
  type HeaderContent,
  layoutHeader,
  renderNoteChart,
} from "./frame.ts";
import {
  binLayer,
  type DensityBins,
  type DensityStyle,
  drawDensity,
} from "./density.ts";
import {
  chooseBinWidth,
  countLayers,
  createHexGrid,
  type HexGrid,
  type PlotBox,
  projectLayer,
} from "./hex_grid.ts";
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
 * Maximum hexagons drawn with a tooltip each, over both layers. Such a
 * hexagon takes 110 to 160 bytes, so these stay below about 320 KB.
 */
const MAX_DETAILED_HEXAGONS = 2000;

/**
 * Maximum hexagons drawn in the compact style, where hexagons of one colour
 * and shade share a path at about 40 bytes each, so these stay below about
 * 800 KB too.
 */
const MAX_COMPACT_HEXAGONS = 20_000;

/**
 * Width of the hexagons in pixels, unless the budget needs wider ones. A
 * lone point is then drawn about as wide as a dot, so the density layer
 * reads like a scatter.
 */
const MIN_BIN_WIDTH = 4;

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
  const box: PlotBox = {
    left: PLOT_MARGIN,
    right: chart.width - PLOT_MARGIN,
    top: header.height + 4,
    bottom: Math.max(header.height + 5, chart.height - PLOT_MARGIN),
    domainX: extent(x, points),
    domainY: extent(y, points),
  };
  const hexagons = density ? planDensity(x, y, labels, points, box) : null;

  const svg = Plot.plot({
    document,
    width: chart.width,
    height: chart.height,
    marginTop: header.height + 4,
    marginRight: PLOT_MARGIN,
    marginBottom: PLOT_MARGIN,
    marginLeft: PLOT_MARGIN,
    inset: hexagons ? hexagons.width : DOT_RADIUS + 2,
    axis: null,
    x: { domain: box.domainX },
    y: { domain: box.domainY },
    color: {
      type: "ordinal",
      domain: clusterLabels,
      range: clusterLabels.map(clusterColor),
    },
    marks: [
      Plot.frame({ stroke: chart.colors.muted, strokeOpacity: 0.3 }),
      ...(hexagons ? [] : dotMarks(x, y, labels, points, input.rowNumbers)),
    ],
  }) as XmlElement;
  if (hexagons) {
    svg.append(
      drawDensity(document, hexagons.grid, hexagons.bins, hexagons.style),
    );
  }

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
function extent(
  values: Float32Array,
  points: ScatterPoints,
): [number, number] {
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

/** Hexagons of the density layer, ready to draw. */
interface DensityPlan {
  readonly width: number;
  readonly grid: HexGrid;
  readonly bins: DensityBins;
  readonly style: DensityStyle;
}

/**
 * Bins the noise and cluster layers into hexagons. They are
 * {@linkcode MIN_BIN_WIDTH} wide and carry a tooltip each when the occupied
 * hexagons fit {@linkcode MAX_DETAILED_HEXAGONS}. Otherwise they are drawn
 * compact, as narrow as {@linkcode MAX_COMPACT_HEXAGONS} allows, so that the
 * file size stops growing with the row count.
 */
function planDensity(
  x: Float32Array,
  y: Float32Array,
  labels: Int32Array,
  points: ScatterPoints,
  box: PlotBox,
): DensityPlan {
  const noise = {
    x: Float64Array.from(points.noise, (row) => x[row]!),
    y: Float64Array.from(points.noise, (row) => y[row]!),
  };
  const clustered = {
    x: Float64Array.from(points.clustered, (row) => x[row]!),
    y: Float64Array.from(points.clustered, (row) => y[row]!),
  };
  const clusterLabels = Int32Array.from(
    points.clustered,
    (row) => labels[row]!,
  );

  const layers = [noise, clustered];
  const detailed =
    countLayers(layers, box, MIN_BIN_WIDTH) <= MAX_DETAILED_HEXAGONS;
  const width = detailed ? MIN_BIN_WIDTH : chooseBinWidth(layers, box, {
    minWidth: MIN_BIN_WIDTH,
    maxHexagons: MAX_COMPACT_HEXAGONS,
  });
  const grid = createHexGrid(width, box);
  return {
    width,
    grid,
    bins: {
      noise: binLayer(grid, projectLayer(noise, box, width), null),
      clustered: binLayer(
        grid,
        projectLayer(clustered, box, width),
        clusterLabels,
      ),
    },
    style: detailed ? "detailed" : "compact",
  };
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
