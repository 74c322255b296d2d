/** Generated 2-D scatter data shared by the rendering tests and benchmarks. */

/** Seeded uniform numbers in [0, 1) (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Gaussian blobs around random centres in a 20 × 12 box, with 10% of the
 * rows as uniform noise over the whole box, labelled -1.
 */
export function gaussianBlobs(
  count: number,
  clusters: number,
  seed: number,
): { x: Float32Array; y: Float32Array; labels: Int32Array } {
  const random = createRandom(seed);
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from(
    { length: clusters },
    () => [random() * 20, random() * 12] as const,
  );
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const labels = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    if (random() < 0.1) {
      labels[row] = -1;
      x[row] = random() * 22 - 1;
      y[row] = random() * 14 - 1;
      continue;
    }
    const label = Math.floor(random() * clusters);
    labels[row] = label;
    x[row] = centres[label]![0] + gaussian();
    y[row] = centres[label]![1] + gaussian() * 0.8;
  }
  return { x, y, labels };
}
