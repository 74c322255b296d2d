import type { Random } from "./types.ts";

/**
 * Creates a seeded generator of uniform numbers in [0, 1) (SplitMix32). The
 * same seed always gives the same sequence, so fits are reproducible; pass the
 * generator to the code that needs it rather than sharing a global one.
 */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) {
    throw new RangeError(
      `Invalid seed ${seed}: use a finite integer such as 42`,
    );
  }
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}
