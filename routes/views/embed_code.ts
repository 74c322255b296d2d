import { escapeHtml } from "./html.ts";

/** Targets of one chart's embed snippets, as absolute URLs. */
export interface EmbedTarget {
  /** The embed view that contains the chart, for the iframe. */
  viewUrl: string;
  /** The standalone SVG of the chart, for the img. */
  chartUrl: string;
  /** Text for the iframe's title and the img's alt. */
  title: string;
  width: number;
  height: number;
}

/** Height of the suggested iframe, in pixels; the view scales its charts to the frame's width. */
const IFRAME_HEIGHT = 600;

/**
 * Renders a collapsed "Embed" section under a chart with an iframe snippet
 * and an img snippet. Each snippet is a read-only text area, so it can be
 * selected and copied without JavaScript. The Copy buttons start hidden, and
 * static/copy.js shows them and copies on click. `id` must be unique in the
 * page.
 */
export function embedCode(id: string, target: EmbedTarget): string {
  const iframe = `<iframe src="${escapeHtml(target.viewUrl)}" title="${
    escapeHtml(target.title)
  }" width="100%" height="${IFRAME_HEIGHT}" style="border:0" loading="lazy"></iframe>`;
  const img = `<img src="${escapeHtml(target.chartUrl)}" alt="${
    escapeHtml(target.title)
  }" width="${target.width}" height="${target.height}" style="max-width:100%;height:auto">`;
  return `<details class="embed-code">
<summary>Embed</summary>
${snippet(`${id}-iframe`, "Live view in an iframe", iframe)}
${snippet(`${id}-img`, "This chart as an image", img)}
</details>`;
}

function snippet(id: string, label: string, code: string): string {
  return `<div class="snippet">
<label for="${id}">${escapeHtml(label)}</label>
<textarea id="${id}" readonly rows="3" spellcheck="false">${
    escapeHtml(code)
  }</textarea>
<button type="button" class="copy" data-copy="${id}" hidden>Copy</button>
</div>`;
}

/**
 * Returns the text of an SVG chart's first `<title>`, with the XML escapes
 * that render/xml.ts writes undone.
 */
export function svgTitle(svg: string): string {
  const match = /<title>([^<]*)<\/title>/.exec(svg);
  if (!match) return "Chart";
  return match[1]!.replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
