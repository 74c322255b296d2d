/**
 * The scatter's density layer: points binned into hexagons, each hexagon in
 * the colour of its most common cluster and shaded by its point count.
 */

import { createSvgElement, type SvgDocument, type XmlElement } from "./dom.ts";
import { formatPercent, formatQuantity } from "./format.ts";
import { cellOf, centreOf, type HexGrid, type PointLayer } from "./hex_grid.ts";
import { clusterColor, clusterName, NOISE_LABEL } from "./palette.ts";

/** One occupied hexagon. */
export interface HexBin {
  /** Centre, in pixels. */
  readonly x: number;
  readonly y: number;
  readonly count: number;
  /** Most common label in the hexagon; ties go to the lowest label. */
  readonly label: number;
  /** Points of `label` in the hexagon. */
  readonly labelCount: number;
}

/** Occupied hexagons of the noise layer and of the cluster layer. */
export interface DensityBins {
  readonly noise: readonly HexBin[];
  readonly clustered: readonly HexBin[];
}

/** Output style of the hexagons in the SVG. */
export type DensityStyle =
  /** One `<path>` per hexagon with a tooltip of its count and main cluster. */
  | "detailed"
  /** One `<path>` per colour and shade, about 40 bytes a hexagon, for many hexagons. */
  | "compact";

/** Opacity of the hexagon with the fewest points; the fullest one is opaque. */
const MIN_OPACITY = 0.45;

/** Shades of each colour in the compact style. */
const COMPACT_SHADES = 8;

/**
 * Bins the points of one layer, in pixels, into the cells of `grid`. With
 * `labels`, each hexagon gets its most common label; without, every point
 * counts as noise.
 */
export function binLayer(
  grid: HexGrid,
  pixels: PointLayer,
  labels: Int32Array | null,
): HexBin[] {
  const n = pixels.x.length;
  let labelSlots = 1;
  if (labels) {
    for (let i = 0; i < n; i++) {
      labelSlots = Math.max(labelSlots, labels[i]! + 2);
    }
  }

  // One sort key per point, cell first and label second, so that each
  // hexagon is one run of keys and each label a run within it.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cell = cellOf(grid, pixels.x[i]!, pixels.y[i]!);
    const slot = labels ? labels[i]! + 1 : 0;
    keys[i] = cell * labelSlots + slot;
  }
  keys.sort();

  const bins: HexBin[] = [];
  let start = 0;
  while (start < n) {
    const cell = Math.floor(keys[start]! / labelSlots);
    let end = start;
    let label = NOISE_LABEL;
    let labelCount = 0;
    while (end < n && Math.floor(keys[end]! / labelSlots) === cell) {
      const runStart = end;
      const key = keys[end]!;
      while (end < n && keys[end] === key) end++;
      if (end - runStart > labelCount) {
        labelCount = end - runStart;
        label = (key % labelSlots) - 1;
      }
    }
    const [x, y] = centreOf(grid, cell);
    bins.push({ x, y, count: end - start, label, labelCount });
    start = end;
  }
  return bins;
}

/**
 * Draws the noise hexagons, grey, under the cluster hexagons. Both layers
 * share one square-root opacity scale from {@linkcode MIN_OPACITY} to 1, so
 * equal counts look equally dense.
 */
export function drawDensity(
  document: SvgDocument,
  grid: HexGrid,
  bins: DensityBins,
  style: DensityStyle,
): XmlElement {
  let maxCount = 1;
  for (const bin of [...bins.noise, ...bins.clustered]) {
    maxCount = Math.max(maxCount, bin.count);
  }
  const group = createSvgElement(document, "g", { "aria-label": "density" });
  if (style === "detailed") {
    group.append(
      drawDetailed(document, grid, bins.noise, maxCount, "noise"),
      drawDetailed(document, grid, bins.clustered, maxCount, "clusters"),
    );
  } else {
    group.append(
      ...drawCompact(document, grid, bins.noise, maxCount),
      ...drawCompact(document, grid, bins.clustered, maxCount),
    );
  }
  return group;
}

function opacityOf(count: number, maxCount: number): number {
  return MIN_OPACITY + (1 - MIN_OPACITY) * Math.sqrt(count / maxCount);
}

function drawDetailed(
  document: SvgDocument,
  grid: HexGrid,
  bins: readonly HexBin[],
  maxCount: number,
  layer: "noise" | "clusters",
): XmlElement {
  const group = createSvgElement(document, "g", {
    "aria-label": `${layer} hexagons`,
    ...(layer === "noise" ? { fill: clusterColor(NOISE_LABEL) } : {}),
  });
  for (const bin of bins) {
    const path = createSvgElement(document, "path", {
      ...(layer === "clusters" ? { fill: clusterColor(bin.label) } : {}),
      "fill-opacity": opacityOf(bin.count, maxCount),
      d: hexagonPath(grid, bin.x, bin.y),
    });
    path.append(createSvgElement(document, "title", {}, describeBin(bin)));
    group.append(path);
  }
  return group;
}

/** Names a hexagon's count and, for clusters, its main cluster's share. */
export function describeBin(bin: HexBin): string {
  if (bin.label === NOISE_LABEL && bin.labelCount === bin.count) {
    return formatQuantity(bin.count, "noise point");
  }
  return `${formatQuantity(bin.count, "point")}, ${
    formatPercent(bin.labelCount / bin.count)
  } in ${clusterName(bin.label)}`;
}

/** Returns the closed outline of one hexagon with absolute vertices. */
function hexagonPath(grid: HexGrid, x: number, y: number): string {
  const half = grid.width / 2;
  const r = grid.radius;
  const vertices = [
    [x - half, y - r / 2],
    [x, y - r],
    [x + half, y - r / 2],
    [x + half, y + r / 2],
    [x, y + r],
    [x - half, y + r / 2],
  ];
  return vertices.map(([vx, vy], index) =>
    `${index === 0 ? "M" : "L"}${round1(vx!)},${round1(vy!)}`
  ).join("") + "Z";
}

/**
 * Draws one path per colour and shade, with a tooltip naming the cluster and
 * the count range of its hexagons. Shades are the opacity scale cut into
 * {@linkcode COMPACT_SHADES} equal steps.
 */
function drawCompact(
  document: SvgDocument,
  grid: HexGrid,
  bins: readonly HexBin[],
  maxCount: number,
): XmlElement[] {
  const groups = new Map<
    string,
    { label: number; shade: number; bins: HexBin[] }
  >();
  for (const bin of bins) {
    const shade = Math.max(
      1,
      Math.ceil(Math.sqrt(bin.count / maxCount) * COMPACT_SHADES),
    );
    const key = `${bin.label}:${shade}`;
    let group = groups.get(key);
    if (!group) {
      group = { label: bin.label, shade, bins: [] };
      groups.set(key, group);
    }
    group.bins.push(bin);
  }
  const ordered = [...groups.values()].sort((a, b) =>
    a.label - b.label || a.shade - b.shade
  );

  return ordered.map((group) => {
    let low = Infinity;
    let high = 0;
    for (const bin of group.bins) {
      low = Math.min(low, bin.count);
      high = Math.max(high, bin.count);
    }
    const range = low === high ? String(low) : `${low} to ${high}`;
    const path = createSvgElement(document, "path", {
      fill: clusterColor(group.label),
      "fill-opacity": MIN_OPACITY +
        (1 - MIN_OPACITY) * group.shade / COMPACT_SHADES,
      d: compactPath(grid, group.bins),
    });
    path.append(createSvgElement(
      document,
      "title",
      {},
      `${clusterName(group.label)}: ${
        formatQuantity(group.bins.length, "hexagon")
      } of ${range} points`,
    ));
    return path;
  });
}

/**
 * Writes many hexagons as subpaths of one path. Each subpath starts at the
 * upper-left vertex with a move relative to the previous start, computed in
 * whole tenths of a pixel so that rounding does not add up along the path.
 * The closing segment draws the left edge.
 */
function compactPath(grid: HexGrid, bins: readonly HexBin[]): string {
  const half = round1(grid.width / 2);
  const rise = round1(grid.radius / 2);
  const side = round1(grid.radius);
  const outline =
    `l${half},${-rise} ${half},${rise}v${side}l${-half},${rise} ${-half},${-rise}z`;
  const parts: string[] = [];
  let previousX = 0;
  let previousY = 0;
  for (const bin of bins) {
    const tenthsX = Math.round((bin.x - grid.width / 2) * 10);
    const tenthsY = Math.round((bin.y - grid.radius / 2) * 10);
    const command = parts.length === 0 ? "M" : "m";
    parts.push(
      `${command}${(tenthsX - previousX) / 10},${(tenthsY - previousY) / 10}`,
      outline,
    );
    previousX = tenthsX;
    previousY = tenthsY;
  }
  return parts.join("");
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
