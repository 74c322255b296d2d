import assert from "node:assert/strict";
import {
  cosineDistance,
  distanceFunction,
  euclideanDistance,
  metricDistance,
  prepareRows,
  squaredDistanceAt,
  squaredFromMetric,
  squaredRowDistance,
} from "../core/distance.ts";

function assertClose(
  actual: number,
  expected: number,
  tolerance: number,
  what: string,
): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: got ${actual}, expected ${expected} within ${tolerance}`,
  );
}

Deno.test("euclidean 3-4-5 triangle", () => {
  assert.equal(euclideanDistance([0, 0], [3, 4]), 5);
});

Deno.test("euclidean identical vectors", () => {
  assert.equal(euclideanDistance([1.5, -2, 7], [1.5, -2, 7]), 0);
});

Deno.test("euclidean accumulates in float64", () => {
  // 4096^2 + 1 = 16777217 is not a float32: a float32 sum would give exactly 4096.
  const a = Float32Array.from([4096, 1]);
  const b = Float32Array.from([0, 0]);
  assert.equal(euclideanDistance(a, b), Math.sqrt(16777217));
});

Deno.test("euclidean length mismatch", () => {
  assert.throws(() => euclideanDistance([1, 2], [1]), RangeError);
});

Deno.test("cosine orthogonal and opposite", () => {
  assertClose(cosineDistance([1, 0], [0, 3]), 1, 1e-15, "orthogonal");
  assertClose(cosineDistance([1, 2], [-2, -4]), 2, 1e-15, "opposite");
});

Deno.test("cosine equals 1 - cos similarity", () => {
  const a = [0.3, -1.2, 2.5, 0.7];
  const b = [1.1, 0.4, 2.0, -0.3];
  const dot = a.reduce((sum, x, i) => sum + x * b[i]!, 0);
  const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  assertClose(
    cosineDistance(a, b),
    1 - dot / (norm(a) * norm(b)),
    1e-15,
    "cosine",
  );
});

Deno.test("cosine ignores scale", () => {
  assertClose(cosineDistance([1, 2, 3], [10, 20, 30]), 0, 1e-15, "parallel");
});

Deno.test("cosine nearly parallel keeps precision", () => {
  // 1 - cos(1e-6) = 5e-13; the subtraction 1 - dot would keep about 3 digits.
  const angle = 1e-6;
  const distance = cosineDistance([1, 0], [Math.cos(angle), Math.sin(angle)]);
  assertClose(distance / (1 - Math.cos(angle)), 1, 1e-3, "relative error");
  assertClose(distance, (angle * angle) / 2, 1e-18, "small-angle value");
});

Deno.test("cosine zero vector rule", () => {
  assert.equal(cosineDistance([0, 0, 0], [1, 2, 3]), 1);
  assert.equal(cosineDistance([1, 2, 3], [0, 0, 0]), 1);
  assert.equal(cosineDistance([0, 0], [0, 0]), 0);
});

Deno.test("cosine never NaN", () => {
  const vectors = [[0, 0], [1e-30, 0], [0, 1e30], [-1, -1], [3, 4]];
  for (const a of vectors) {
    for (const b of vectors) {
      const distance = cosineDistance(a, b);
      assert.ok(Number.isFinite(distance), `cosine(${a}, ${b}) is ${distance}`);
      assert.ok(
        distance >= 0 && distance <= 2 + 1e-15,
        `cosine(${a}, ${b}) = ${distance}`,
      );
    }
  }
});

Deno.test("distanceFunction picks metric", () => {
  assert.equal(distanceFunction("euclidean"), euclideanDistance);
  assert.equal(distanceFunction("cosine"), cosineDistance);
});

Deno.test("prepared cosine rows adds zero marker", () => {
  const rows = prepareRows({
    n: 3,
    dim: 2,
    data: Float32Array.from([3, 4, 0, 0, 0, 5]),
  }, "cosine");
  assert.equal(rows.dim, 3);
  assert.equal(metricDistance("cosine", squaredRowDistance(rows, 0, 1)), 1);
  assert.equal(metricDistance("cosine", squaredRowDistance(rows, 1, 1)), 0);
  assertClose(
    metricDistance("cosine", squaredRowDistance(rows, 0, 2)),
    0.2,
    1e-15,
    "unit rows",
  );
});

Deno.test("prepared cosine rows without zeros keep dim", () => {
  const rows = prepareRows({
    n: 2,
    dim: 2,
    data: Float32Array.from([3, 4, 1, 0]),
  }, "cosine");
  assert.equal(rows.dim, 2);
});

Deno.test("prepared rows match public distances", () => {
  const data = Float32Array.from([0.1, -2, 3.5, 4, 0.25, 1, -7, 2, 0, 0, 0, 0]);
  for (const metric of ["euclidean", "cosine"] as const) {
    const rows = prepareRows({ n: 3, dim: 4, data }, metric);
    const distance = distanceFunction(metric);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const expected = distance(
          data.subarray(i * 4, i * 4 + 4),
          data.subarray(j * 4, j * 4 + 4),
        );
        assert.equal(
          metricDistance(metric, squaredRowDistance(rows, i, j)),
          expected,
        );
      }
    }
  }
});

Deno.test("squared conversions invert", () => {
  for (const metric of ["euclidean", "cosine"] as const) {
    assertClose(
      metricDistance(metric, squaredFromMetric(metric, 0.375)),
      0.375,
      1e-15,
      metric,
    );
  }
});

Deno.test("bounded sum stops above bound", () => {
  const a = new Float64Array(32).fill(1);
  const b = new Float64Array(32);
  assert.equal(squaredDistanceAt(a, 0, b, 0, 32, Infinity), 32);
  const partial = squaredDistanceAt(a, 0, b, 0, 32, 4);
  assert.ok(partial > 4, `partial sum ${partial} must exceed the bound`);
  assert.ok(partial < 32, `partial sum ${partial} must stop early`);
});

Deno.test("bounded sum exact at bound", () => {
  const a = new Float64Array(16).fill(1);
  const b = new Float64Array(16);
  assert.equal(squaredDistanceAt(a, 0, b, 0, 16, 16), 16);
});
