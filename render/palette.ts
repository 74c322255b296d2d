/**
 * Cluster colours shared by the SVG charts and the HTML pages, so a cluster
 * keeps its colour everywhere it appears.
 */

/**
 * Categorical palette indexed by cluster label modulo its length. Every
 * colour has a relative luminance between 0.16 and 0.28, which gives a
 * contrast ratio of at least 3:1 against both white and the dark theme's
 * background (#0d1117), the WCAG 2.1 minimum for graphical objects.
 */
export const CLUSTER_PALETTE: readonly string[] = Object.freeze([
  "#2f6fd0", // blue
  "#d9730d", // orange
  "#1f9e4a", // green
  "#d63c3c", // red
  "#8c5fd1", // purple
  "#0f9a9a", // teal
  "#c94a9a", // magenta
  "#9a6b2f", // brown
  "#6f8f1a", // olive
  "#b08600", // ochre
  // Ids 10 to 19: each at least as far from every other entry and from the
  // noise grey, in OKLab, as the first ten are from each other.
  "#926286", // mauve
  "#6e8cd8", // light blue
  "#d0717f", // rose
  "#457d5b", // pine
  "#b379bf", // orchid
  "#547593", // slate
  "#6b9a70", // sage
  "#228abe", // cerulean
  "#b47e5f", // clay
  "#2c841d", // grass
]);

/** Neutral grey for noise (label -1), with no hue so no cluster is mistaken for it. */
export const NOISE_COLOR = "#8c8c8c";

/** Cluster label that HDBSCAN gives to noise rows. */
export const NOISE_LABEL = -1;

/**
 * Returns the colour of a cluster label: grey for noise (-1), otherwise the
 * palette entry at `label % CLUSTER_PALETTE.length`.
 *
 * @throws {RangeError} when the label is not an integer of at least -1.
 * @example
 * ```ts
 * import { clusterColor, NOISE_COLOR } from "./palette.ts";
 * clusterColor(-1) === NOISE_COLOR; // true
 * clusterColor(3) === clusterColor(23); // true, the palette has 20 colours
 * ```
 */
export function clusterColor(label: number): string {
  if (!Number.isInteger(label) || label < NOISE_LABEL) {
    throw new RangeError(
      `Cannot pick a colour for cluster label ${label}: expected an integer of at least -1 (noise).`,
    );
  }
  if (label === NOISE_LABEL) return NOISE_COLOR;
  return CLUSTER_PALETTE[label % CLUSTER_PALETTE.length]!;
}

/** Returns the display name of a cluster label: "noise" for -1, "cluster 3" otherwise. */
export function clusterName(label: number): string {
  return label === NOISE_LABEL ? "noise" : `cluster ${label}`;
}
