/**
 * Server-side chart rendering. Each `render*` function takes typed arrays and
 * strings and returns a standalone SVG document as a string, drawn with
 * Observable Plot on a linkedom DOM. The output is valid XML with a `<title>`
 * and `<desc>`, explicit size and viewBox, no external references, and the
 * same bytes for the same input.
 *
 * @example
 * ```ts
 * import { renderClusterSizes } from "./mod.ts";
 * const svg = renderClusterSizes({ labels: new Int32Array([0, 0, 1, -1]) });
 * svg.startsWith("<svg"); // true
 * ```
 *
 * @module
 */

export {
  allNoiseNote,
  clusterMask,
  type ClusterSize,
  countClusterSizes,
} from "./clusters.ts";
export {
  type ClusterSizesInput,
  type ClusterSizesOptions,
  renderClusterSizes,
} from "./cluster_sizes.ts";
export { type HistogramInput, renderHistogram } from "./histogram.ts";
export { type ChartOptions, DEFAULT_HEIGHT, DEFAULT_WIDTH } from "./options.ts";
export {
  CLUSTER_PALETTE,
  clusterColor,
  clusterName,
  NOISE_COLOR,
  NOISE_LABEL,
} from "./palette.ts";
export { renderScatter, type ScatterInput } from "./scatter.ts";
export { type Theme, THEME_COLORS, type ThemeColors } from "./theme.ts";
export { renderTopValues, type TopValuesInput } from "./top_values.ts";
