/** Generated high-dimensional data shared by the numeric tests and benchmarks. */
import { createRandom } from "../core/random.ts";
import type { Vectors } from "../core/types.ts";

/**
 * Gaussian blobs in `dim` dimensions: `clusters` centres drawn from
 * N(0, 6^2) per coordinate, unit-variance blobs around them and 5% uniform
 * noise over the centres' bounding box. The same arguments give the same rows.
 */
export function blobVectors(
  n: number,
  dim: number,
  clusters: number,
  seed: number,
): Vectors {
  const random = createRandom(seed);
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = new Float64Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian() * 6;
  const data = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    const noise = random() < 0.05;
    const centre = Math.floor(random() * clusters);
    for (let c = 0; c < dim; c++) {
      data[row * dim + c] = noise
        ? (random() - 0.5) * 36
        : centres[centre * dim + c]! + gaussian();
    }
  }
  return { data, n, dim };
}
