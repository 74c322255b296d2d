import { assertEquals } from "./_assert.ts";
import {
  compareDecimal,
  summariseNumeric,
  topValues,
} from "../core/dataset/column_summary.ts";

Deno.test("compareDecimal orders exact text", () => {
  const cases: [string, string, number][] = [
    ["9007199254740993", "9007199254740992", 1],
    ["-3", "2", -1],
    ["-12.50", "-12.5", 0],
    ["0.0001", "0.00009", 1],
    ["100", "99.999", 1],
    ["-100", "-99.999", -1],
  ];
  for (const [a, b, expected] of cases) {
    assertEquals(compareDecimal(a, b), expected, `${a} vs ${b}`);
  }
});

Deno.test("summariseNumeric exact extremes past 2^53", () => {
  const exact = [
    "9007199254740993",
    "9007199254740995",
    "9007199254740997",
    null,
  ];
  const values = Float64Array.from(
    exact,
    (text) => text === null ? NaN : Number(text),
  );
  const summary = summariseNumeric(values, undefined, exact);
  assertEquals(summary.minExact, "9007199254740993");
  assertEquals(summary.maxExact, "9007199254740997");
  assertEquals(summary.missing, 1);
  assertEquals(summary.count, 3);
});

Deno.test("summariseNumeric respects the mask", () => {
  const values = Float64Array.from([1, 2, 3, 4, NaN]);
  const summary = summariseNumeric(values, Uint8Array.from([1, 0, 1, 0, 1]));
  assertEquals(summary.count, 2);
  assertEquals(summary.missing, 1);
  assertEquals(summary.mean, 2);
  assertEquals(summary.median, 2);
  assertEquals(summary.min, 1);
  assertEquals(summary.max, 3);
});

Deno.test("topValues ties ordered by value", () => {
  const result = topValues(["b", "a", "b", "a", null, "c"], undefined, 2);
  assertEquals(result.values.map((entry) => entry.value), ["a", "b"]);
  assertEquals(result.distinct, 3);
  assertEquals(result.missing, 1);
  assertEquals(result.total, 5);
});
