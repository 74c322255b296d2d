/**
 * The parts every chart shares: the heading, subtitle lines and legend above
 * the plot, the accessible `<title>` and `<desc>`, the background, and the
 * note-only chart drawn for empty or degenerate data.
 */

import {
  createDocument,
  createSvgElement,
  SVG_NAMESPACE,
  type SvgDocument,
  XLINK_NAMESPACE,
  type XmlElement,
} from "./dom.ts";
import { estimateTextWidth, truncateText } from "./format.ts";
import {
  drawLegend,
  layoutLegend,
  LEGEND_ROW_HEIGHT,
  type LegendItem,
  type LegendLayout,
} from "./legend.ts";
import type { ResolvedChart } from "./options.ts";
import * as Plot from "@observablehq/plot";
import { serializeXml } from "./xml.ts";

/** System font stack, so the SVG needs no font files. */
export const FONT_FAMILY =
  "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";

/** Horizontal padding of the heading, subtitle and legend. */
export const PADDING = 12;
const TITLE_FONT_SIZE = 15;
const TITLE_BASELINE = 22;
const SUBTITLE_FONT_SIZE = 11;
const SUBTITLE_LINE_HEIGHT = 15;
const NOTE_FONT_SIZE = 13;
const NOTE_LINE_HEIGHT = 18;
const MAX_SUBTITLE_LINES = 3;
const MAX_LEGEND_ROWS = 3;

/**
 * Share of the chart height that the header may take. Subtitle lines and
 * legend rows beyond it are left out, so small charts keep a plot area.
 */
const MAX_HEADER_SHARE = 0.4;

/** Content of the header above the plot. */
export interface HeaderContent {
  /** Short lines under the heading, such as counts and notes. Each may wrap once. */
  readonly subtitles?: readonly string[];
  readonly legend?: readonly LegendItem[];
}

/** The header laid out for a chart width. */
export interface Header {
  readonly title: string;
  readonly subtitleLines: readonly string[];
  readonly legend: LegendLayout;
  readonly legendY: number;
  /** Space the header takes from the top of the chart, in pixels. */
  readonly height: number;
}

/** Lays out the heading, subtitle lines and legend of a chart. */
export function layoutHeader(
  chart: ResolvedChart,
  content: HeaderContent,
): Header {
  const maxWidth = chart.width - 2 * PADDING;
  const title = truncateText(chart.title, maxWidth, TITLE_FONT_SIZE);

  const maxHeight = chart.height * MAX_HEADER_SHARE;

  const subtitleRoom = Math.floor(
    (maxHeight - TITLE_BASELINE - 6) / SUBTITLE_LINE_HEIGHT,
  );
  const subtitleLines = (content.subtitles ?? [])
    .flatMap((text) => wrapText(text, maxWidth, SUBTITLE_FONT_SIZE, 2))
    .slice(0, Math.max(0, Math.min(MAX_SUBTITLE_LINES, subtitleRoom)));
  let bottom = TITLE_BASELINE + subtitleLines.length * SUBTITLE_LINE_HEIGHT;

  const legendY = bottom + 15;
  const legendRoom =
    Math.floor((maxHeight - legendY - 12) / LEGEND_ROW_HEIGHT) +
    1;
  const legend = layoutLegend(
    content.legend ?? [],
    maxWidth,
    Math.min(MAX_LEGEND_ROWS, legendRoom),
  );
  if (legend.rowCount > 0) {
    bottom = legendY + (legend.rowCount - 1) * LEGEND_ROW_HEIGHT + 6;
  }

  return { title, subtitleLines, legend, legendY, height: bottom + 6 };
}

/**
 * Splits a text at spaces into lines of at most `maxWidth`. The last allowed
 * line is truncated with an ellipsis if text remains.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  fontSize: number,
  maxLines: number,
): string[] {
  const lines: string[] = [];
  let line = "";
  const words = text.split(" ");
  for (let index = 0; index < words.length; index++) {
    const candidate = line === "" ? words[index]! : `${line} ${words[index]}`;
    if (line === "" || estimateTextWidth(candidate, fontSize) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) {
      line = `${line} ${words.slice(index).join(" ")}`;
      break;
    }
    lines.push(line);
    line = words[index]!;
  }
  lines.push(truncateText(line, maxWidth, fontSize));
  return lines;
}

/**
 * Draws the y-axis label above the top-left corner of the plot, aligned with
 * the header. Plot's own top-anchored label sits at the top edge of the SVG,
 * where the header is.
 */
export function yAxisLabel(label: string, marginLeft: number): Plot.Markish {
  return Plot.text([`↑ ${label}`], {
    frameAnchor: "top-left",
    text: (text: string) => text,
    textAnchor: "start",
    dx: PADDING - marginLeft,
    dy: -14,
  });
}

/**
 * Turns the SVG element that Plot returned into the final standalone
 * document: adds the namespace, accessible title and description, the
 * background and the header, drops Plot's stylesheet and class, and
 * serialises it as XML.
 */
export function finishChart(
  document: SvgDocument,
  svg: XmlElement,
  chart: ResolvedChart,
  header: Header,
  description: string,
): string {
  // Plot's <style> lays out a chart inline in a page and keeps repeated
  // spaces in text. A standalone chart needs neither, so repeated spaces in
  // user labels collapse as in plain SVG.
  for (const style of Array.from(svg.querySelectorAll("style"))) {
    style.remove();
  }
  svg.removeAttribute("class");

  setRootAttributes(svg, chart);
  svg.prepend(...drawFrame(document, chart, header, description));
  return serializeXml(svg, { currentColor: chart.colors.text });
}

/**
 * Renders a chart that holds only its header and a centred note, for data
 * that has nothing to plot.
 */
export function renderNoteChart(
  chart: ResolvedChart,
  content: HeaderContent,
  note: string,
  description: string,
): string {
  const document = createDocument();
  const header = layoutHeader(chart, content);
  const svg = createSvgElement(document, "svg", {
    fill: "currentColor",
    "font-size": 10,
    "text-anchor": "middle",
  });
  setRootAttributes(svg, chart);
  svg.append(...drawFrame(document, chart, header, description));

  // A dashed box marks where the plot would be, with the note in its middle.
  const top = header.height + 4;
  const boxHeight = Math.max(chart.height - top - PADDING, NOTE_LINE_HEIGHT);
  svg.append(createSvgElement(document, "rect", {
    x: PADDING,
    y: top,
    width: chart.width - 2 * PADDING,
    height: boxHeight,
    rx: 6,
    fill: "none",
    stroke: chart.colors.muted,
    "stroke-opacity": 0.5,
    "stroke-dasharray": "4 4",
  }));
  const lines = wrapText(
    note,
    chart.width - 4 * PADDING,
    NOTE_FONT_SIZE,
    4,
  );
  const firstBaseline = top + boxHeight / 2 -
    ((lines.length - 1) * NOTE_LINE_HEIGHT) / 2;
  const noteText = createSvgElement(document, "text", {
    "aria-label": "note",
    "font-size": NOTE_FONT_SIZE,
    fill: chart.colors.muted,
  });
  lines.forEach((line, index) => {
    noteText.append(createSvgElement(document, "tspan", {
      x: chart.width / 2,
      y: firstBaseline + index * NOTE_LINE_HEIGHT,
      dy: "0.35em",
    }, line));
  });
  svg.append(noteText);

  return serializeXml(svg, { currentColor: chart.colors.text });
}

function setRootAttributes(svg: XmlElement, chart: ResolvedChart): void {
  svg.setAttribute("xmlns", SVG_NAMESPACE);
  if (usesXlink(svg)) svg.setAttribute("xmlns:xlink", XLINK_NAMESPACE);
  svg.setAttribute("width", String(chart.width));
  svg.setAttribute("height", String(chart.height));
  svg.setAttribute("viewBox", `0 0 ${chart.width} ${chart.height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("font-family", FONT_FAMILY);
}

function usesXlink(svg: XmlElement): boolean {
  for (const element of Array.from(svg.querySelectorAll("*"))) {
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.name.startsWith("xlink:")) return true;
    }
  }
  return false;
}

/**
 * Builds the elements that precede the plot: `<title>` and `<desc>` first, as
 * screen readers expect, then the background and the header.
 */
function drawFrame(
  document: SvgDocument,
  chart: ResolvedChart,
  header: Header,
  description: string,
): XmlElement[] {
  const elements = [
    createSvgElement(document, "title", {}, chart.title),
    createSvgElement(document, "desc", {}, description),
  ];
  if (!chart.transparent) {
    elements.push(createSvgElement(document, "rect", {
      width: chart.width,
      height: chart.height,
      fill: chart.colors.background,
    }));
  }

  const heading = createSvgElement(document, "g", {
    "aria-label": "heading",
    "text-anchor": "start",
  });
  heading.append(createSvgElement(document, "text", {
    x: PADDING,
    y: TITLE_BASELINE,
    "font-size": TITLE_FONT_SIZE,
    "font-weight": 600,
  }, header.title));
  header.subtitleLines.forEach((line, index) => {
    heading.append(createSvgElement(document, "text", {
      x: PADDING,
      y: TITLE_BASELINE + (index + 1) * SUBTITLE_LINE_HEIGHT,
      "font-size": SUBTITLE_FONT_SIZE,
      fill: chart.colors.muted,
    }, line));
  });
  elements.push(heading);

  if (header.legend.rowCount > 0) {
    elements.push(drawLegend(
      document,
      header.legend,
      PADDING,
      header.legendY,
      chart.colors.muted,
    ));
  }
  return elements;
}
