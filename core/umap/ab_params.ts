import { findABParams } from "umap-js/dist/umap.js";

const cache = new Map<string, { a: number; b: number }>();

/**
 * Fits the `a` and `b` of UMAP's low-dimensional similarity
 * 1 / (1 + a * d^(2b)) to the curve that `minDist` and `spread` describe.
 * The least-squares fit is umap-js's own, so both layouts share one curve.
 */
export function curveParameters(
  minDist: number,
  spread: number,
): { a: number; b: number } {
  const key = `${minDist}:${spread}`;
  let params = cache.get(key);
  if (!params) {
    params = findABParams(spread, minDist);
    cache.set(key, params);
  }
  return params;
}
