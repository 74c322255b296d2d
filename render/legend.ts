/**
 * Colour legend drawn as SVG. Plot renders ordinal legends as HTML, which an
 * `<img>` cannot show, so the charts draw their own swatches.
 */

import { createSvgElement, type SvgDocument, type XmlElement } from "./dom.ts";
import { estimateTextWidth, formatCount } from "./format.ts";

/** Swatch shape: a dot, a filled square, or an outlined square. */
export type SwatchShape = "circle" | "square" | "outline";

/** One legend entry. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly shape?: SwatchShape;
}

/** A legend entry placed at a column offset in a row. */
interface PlacedItem {
  readonly item: LegendItem | null;
  readonly label: string;
  readonly x: number;
  readonly row: number;
}

/** Legend entries placed in rows that fit a width. */
export interface LegendLayout {
  readonly placed: readonly PlacedItem[];
  readonly rowCount: number;
}

export const LEGEND_FONT_SIZE = 11;
export const LEGEND_ROW_HEIGHT = 17;
const SWATCH_SIZE = 10;
const SWATCH_GAP = 5;
const ITEM_GAP = 14;

function itemWidth(label: string, hasSwatch: boolean): number {
  const swatch = hasSwatch ? SWATCH_SIZE + SWATCH_GAP : 0;
  return swatch + estimateTextWidth(label, LEGEND_FONT_SIZE) + ITEM_GAP;
}

/**
 * Places legend entries left to right, wrapping at `maxWidth`. Entries that
 * do not fit in `maxRows` rows are replaced by a "+N more" entry, and a
 * `maxRows` below 1 leaves the legend out.
 */
export function layoutLegend(
  items: readonly LegendItem[],
  maxWidth: number,
  maxRows = 3,
): LegendLayout {
  if (maxRows < 1) return { placed: [], rowCount: 0 };

  const placed: PlacedItem[] = [];
  let x = 0;
  let row = 0;

  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const width = itemWidth(item.label, true);
    const moreLabel = `+${formatCount(items.length - index)} more`;

    // Wrap to a new row unless the rows are used up. In that case the
    // "+N more" entry takes the room that the previous entry reserved for it.
    if (x > 0 && x + width > maxWidth) {
      if (row + 1 >= maxRows) {
        placed.push({ item: null, label: moreLabel, x, row });
        break;
      }
      row++;
      x = 0;
    }

    // On the last row, place an entry only if a "+N more" entry for the
    // entries after it still fits beside it.
    const remaining = items.length - index - 1;
    if (row === maxRows - 1 && remaining > 0) {
      const nextMore = `+${formatCount(remaining)} more`;
      if (x + width + itemWidth(nextMore, false) > maxWidth) {
        placed.push({ item: null, label: moreLabel, x, row });
        break;
      }
    }

    placed.push({ item, label: item.label, x, row });
    x += width;
  }

  const rowCount = placed.length === 0 ? 0 : placed.at(-1)!.row + 1;
  return { placed, rowCount };
}

/**
 * Draws a laid-out legend with its first row centred on `y`. Labels use the
 * chart's text colour; the "+N more" entry uses `mutedColor`.
 */
export function drawLegend(
  document: SvgDocument,
  layout: LegendLayout,
  x: number,
  y: number,
  mutedColor: string,
): XmlElement {
  const group = createSvgElement(document, "g", {
    "aria-label": "legend",
    "font-size": LEGEND_FONT_SIZE,
    "text-anchor": "start",
  });

  for (const { item, label, x: offset, row } of layout.placed) {
    const left = x + offset;
    const middle = y + row * LEGEND_ROW_HEIGHT;
    if (item === null) {
      group.append(
        createSvgElement(document, "text", {
          x: left,
          y: middle,
          dy: "0.35em",
          fill: mutedColor,
        }, label),
      );
      continue;
    }
    group.append(drawSwatch(document, item, left, middle));
    group.append(
      createSvgElement(document, "text", {
        x: left + SWATCH_SIZE + SWATCH_GAP,
        y: middle,
        dy: "0.35em",
      }, label),
    );
  }
  return group;
}

function drawSwatch(
  document: SvgDocument,
  item: LegendItem,
  left: number,
  middle: number,
): XmlElement {
  const half = SWATCH_SIZE / 2;
  switch (item.shape ?? "circle") {
    case "circle":
      return createSvgElement(document, "circle", {
        cx: left + half,
        cy: middle,
        r: half - 0.5,
        fill: item.color,
      });
    case "square":
      return createSvgElement(document, "rect", {
        x: left,
        y: middle - half,
        width: SWATCH_SIZE,
        height: SWATCH_SIZE,
        fill: item.color,
      });
    case "outline":
      return createSvgElement(document, "rect", {
        x: left + 0.75,
        y: middle - half + 0.75,
        width: SWATCH_SIZE - 1.5,
        height: SWATCH_SIZE - 1.5,
        fill: item.color,
        "fill-opacity": 0.2,
        stroke: item.color,
        "stroke-width": 1.5,
      });
  }
}
