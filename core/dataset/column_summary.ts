import { quantileSorted } from "d3-array";

/** Statistics of a numeric column over a set of rows. */
export interface NumericSummary {
  count: number;
  missing: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  /** Exact text of the minimum and maximum, for BIGINT and DECIMAL columns that a double may round. */
  minExact?: string | null;
  maxExact?: string | null;
}

/** Share of one value among the non-missing rows. */
export interface ValueShare {
  value: string;
  count: number;
  share: number;
}

/**
 * Summarises the rows of `values` where `selected` is 1 (all rows without a
 * mask). NaN counts as missing. The mean uses Kahan summation so that large
 * columns keep their precision. With `exact` (the column's exact decimal
 * text), the minimum and maximum are also given exactly.
 */
export function summariseNumeric(
  values: Float64Array,
  selected?: Uint8Array,
  exact?: readonly (string | null)[],
): NumericSummary {
  const chosen = new Float64Array(values.length);
  let count = 0;
  let missing = 0;
  let sum = 0;
  let compensation = 0;
  let minRow = -1;
  let maxRow = -1;
  for (let i = 0; i < values.length; i++) {
    if (selected && selected[i] === 0) continue;
    const value = values[i]!;
    if (Number.isNaN(value)) {
      missing++;
      continue;
    }
    chosen[count++] = value;
    if (minRow < 0 || value < values[minRow]!) minRow = i;
    if (maxRow < 0 || value > values[maxRow]!) maxRow = i;
    const y = value - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    sum = t;
  }
  const sorted = chosen.subarray(0, count).sort();
  const summary: NumericSummary = {
    count,
    missing,
    mean: count > 0 ? sum / count : null,
    median: count > 0 ? quantileSorted(sorted, 0.5) ?? null : null,
    min: count > 0 ? values[minRow]! : null,
    max: count > 0 ? values[maxRow]! : null,
  };
  if (exact) {
    // Doubles tie for integers past 2^53, so ties are settled on the exact text.
    for (let i = 0; i < values.length; i++) {
      if ((selected && selected[i] === 0) || exact[i] == null) continue;
      if (
        values[i] === values[minRow] &&
        compareDecimal(exact[i]!, exact[minRow]!) < 0
      ) minRow = i;
      if (
        values[i] === values[maxRow] &&
        compareDecimal(exact[i]!, exact[maxRow]!) > 0
      ) maxRow = i;
    }
    summary.minExact = minRow >= 0 ? exact[minRow] ?? null : null;
    summary.maxExact = maxRow >= 0 ? exact[maxRow] ?? null : null;
  }
  return summary;
}

/** Counts the values of a text column in the selected rows, most frequent first, ties by value. */
export function topValues(
  values: readonly (string | null)[],
  selected: Uint8Array | undefined,
  limit: number,
): { values: ValueShare[]; distinct: number; missing: number; total: number } {
  const counts = new Map<string, number>();
  let missing = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (selected && selected[i] === 0) continue;
    const value = values[i];
    if (value === null || value === undefined) {
      missing++;
      continue;
    }
    total++;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const sorted = [...counts].sort(byCountThenValue);
  return {
    values: sorted.slice(0, limit).map(([value, count]) => ({
      value,
      count,
      share: total > 0 ? count / total : 0,
    })),
    distinct: counts.size,
    missing,
    total,
  };
}

/** Returns a 0/1 mask of the rows whose label equals `label`. */
export function clusterMask(labels: Int32Array, label: number): Uint8Array {
  const mask = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) mask[i] = labels[i] === label ? 1 : 0;
  return mask;
}

/** Orders value counts by descending count, then by value, so ties list in a fixed order. */
function byCountThenValue(a: [string, number], b: [string, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  if (a[0] === b[0]) return 0;
  return a[0] < b[0] ? -1 : 1;
}

/** Compares two decimal numbers written as text, such as "-12.50" and "3", without rounding. */
export function compareDecimal(a: string, b: string): number {
  const negativeA = a.startsWith("-");
  const negativeB = b.startsWith("-");
  if (negativeA !== negativeB) return negativeA ? -1 : 1;
  const magnitude = compareMagnitude(
    a.replace(/^[-+]/, ""),
    b.replace(/^[-+]/, ""),
  );
  return negativeA && magnitude !== 0 ? -magnitude : magnitude;
}

function compareMagnitude(a: string, b: string): number {
  const [wholeA = "", fractionA = ""] = a.split(".");
  const [wholeB = "", fractionB = ""] = b.split(".");
  const intA = wholeA.replace(/^0+(?=\d)/, "");
  const intB = wholeB.replace(/^0+(?=\d)/, "");
  if (intA.length !== intB.length) return intA.length < intB.length ? -1 : 1;
  if (intA !== intB) return intA < intB ? -1 : 1;
  const width = Math.max(fractionA.length, fractionB.length);
  const fracA = fractionA.padEnd(width, "0");
  const fracB = fractionB.padEnd(width, "0");
  if (fracA === fracB) return 0;
  return fracA < fracB ? -1 : 1;
}
