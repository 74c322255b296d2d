/**
 * The hexagon grid of the scatter's density layer, in pixels. It is the grid
 * of Plot's hexbin transform (Observable Plot 0.6.17): pointy-top hexagons
 * of a given width, rows `width * √3 / 2` apart, every odd row shifted right
 * by half a width, and the first centre at (0.5, 0). Each point belongs to
 * the hexagon whose centre is nearest.
 */

/** Point coordinates of one layer, in data units or in pixels. */
export interface PointLayer {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Position of the plot frame in pixels, with the data domains it shows. */
export interface PlotBox {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly domainX: readonly [number, number];
  readonly domainY: readonly [number, number];
}

/** Limits of {@linkcode chooseBinWidth}. */
export interface BinWidthLimits {
  /** Narrowest hexagon width tried, in pixels. */
  readonly minWidth: number;
  /** Hexagons that all layers together may occupy. */
  readonly maxHexagons: number;
}

/** A grid of hexagons of one width over a plot, with cells numbered row by row. */
export interface HexGrid {
  readonly width: number;
  /** Distance from a hexagon's centre to its top vertex. */
  readonly radius: number;
  readonly rowSpacing: number;
  /** Cells per row, which sets the cell numbering. */
  readonly columns: number;
  /** Cell count, an upper bound of every cell number. */
  readonly size: number;
}

/** Each width tried is this factor wider than the one before. */
const WIDTH_STEP = 1.2;

/** Horizontal offset of the grid, so that hexagons do not line up with the frame. */
const ORIGIN_X = 0.5;

/** Empty rows and columns around the plot, for points that round outwards. */
const GRID_MARGIN = 2;

/** Builds the grid of hexagons `width` pixels wide that covers a plot. */
export function createHexGrid(width: number, box: PlotBox): HexGrid {
  const rowSpacing = width * Math.sqrt(3) / 2;
  const columns = Math.ceil(box.right / width) + 2 * GRID_MARGIN + 1;
  const rows = Math.ceil(box.bottom / rowSpacing) + 2 * GRID_MARGIN + 1;
  return {
    width,
    radius: width / Math.sqrt(3),
    rowSpacing,
    columns,
    size: columns * rows,
  };
}

/**
 * Maps a layer's data coordinates to pixels. The plot is inset by `inset`
 * pixels on each side, so hexagons at the edge stay inside the frame, and y
 * grows downwards.
 */
export function projectLayer(
  layer: PointLayer,
  box: PlotBox,
  inset: number,
): PointLayer {
  const [x0, x1] = box.domainX;
  const [y0, y1] = box.domainY;
  const left = box.left + inset;
  const bottom = box.bottom - inset;
  const scaleX = (box.right - inset - left) / (x1 - x0);
  const scaleY = (bottom - box.top - inset) / (y1 - y0);
  const x = new Float64Array(layer.x.length);
  const y = new Float64Array(layer.y.length);
  for (let i = 0; i < x.length; i++) {
    x[i] = left + (layer.x[i]! - x0) * scaleX;
    y[i] = bottom - (layer.y[i]! - y0) * scaleY;
  }
  return { x, y };
}

/**
 * Returns the number of the cell whose centre is nearest to a pixel. That
 * centre lies in one of the two rows around the pixel, and in each row it is
 * the one in the nearest column.
 */
export function cellOf(grid: HexGrid, px: number, py: number): number {
  const x = px - ORIGIN_X;
  const above = Math.floor(py / grid.rowSpacing);
  let bestRow = above;
  let bestColumn = 0;
  let bestDistance = Infinity;
  for (let row = above; row <= above + 1; row++) {
    const shift = (row & 1) / 2;
    const column = Math.round(x / grid.width - shift);
    const dx = x - (column + shift) * grid.width;
    const dy = py - row * grid.rowSpacing;
    const distance = dx * dx + dy * dy;
    if (distance < bestDistance) {
      bestDistance = distance;
      bestRow = row;
      bestColumn = column;
    }
  }
  return (bestRow + GRID_MARGIN) * grid.columns + bestColumn + GRID_MARGIN;
}

/** Returns the centre of a cell, in pixels. */
export function centreOf(grid: HexGrid, cell: number): [number, number] {
  const row = Math.floor(cell / grid.columns) - GRID_MARGIN;
  const column = (cell % grid.columns) - GRID_MARGIN;
  return [
    (column + (row & 1) / 2) * grid.width + ORIGIN_X,
    row * grid.rowSpacing,
  ];
}

/** Counts the cells that the points of one layer, in pixels, occupy. */
export function countCells(grid: HexGrid, pixels: PointLayer): number {
  const seen = new Uint8Array(grid.size);
  let count = 0;
  for (let i = 0; i < pixels.x.length; i++) {
    const cell = cellOf(grid, pixels.x[i]!, pixels.y[i]!);
    if (seen[cell] === 0) {
      seen[cell] = 1;
      count++;
    }
  }
  return count;
}

/**
 * Picks the narrowest hexagon width, from `minWidth` up in steps of 20%, at
 * which the layers together occupy at most `maxHexagons` hexagons. Layers
 * are binned separately, so a hexagon that contains points of two layers counts
 * twice. The plot is inset by one width, as the scatter draws it. The width
 * stops growing at half the plot's larger side.
 */
export function chooseBinWidth(
  layers: readonly PointLayer[],
  box: PlotBox,
  limits: BinWidthLimits,
): number {
  const maxWidth = Math.max(
    limits.minWidth,
    (box.right - box.left) / 2,
    (box.bottom - box.top) / 2,
  );
  for (let width = limits.minWidth; width < maxWidth; width *= WIDTH_STEP) {
    if (countLayers(layers, box, width) <= limits.maxHexagons) return width;
  }
  return maxWidth;
}

/** Counts the hexagons that all layers occupy at one width. */
export function countLayers(
  layers: readonly PointLayer[],
  box: PlotBox,
  width: number,
): number {
  const grid = createHexGrid(width, box);
  let occupied = 0;
  for (const layer of layers) {
    occupied += countCells(grid, projectLayer(layer, box, width));
  }
  return occupied;
}
