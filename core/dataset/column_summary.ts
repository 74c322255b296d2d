import { max, median, min } from "d3-array";

/** Statistics of a numeric column over a set of rows. */
export interface NumericSummary {
  count: number;
  missing: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
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
 * columns keep their precision.
 */
export function summariseNumeric(
  values: Float64Array,
  selected?: Uint8Array,
): NumericSummary {
  const chosen: number[] = [];
  let missing = 0;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    if (selected && selected[i] === 0) continue;
    const value = values[i]!;
    if (Number.isNaN(value)) {
      missing++;
      continue;
    }
    chosen.push(value);
    const y = value - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    sum = t;
  }
  const count = chosen.length;
  return {
    count,
    missing,
    mean: count > 0 ? sum / count : null,
    median: median(chosen) ?? null,
    min: min(chosen) ?? null,
    max: max(chosen) ?? null,
  };
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
  const sorted = [...counts].sort((a, b) =>
    b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
  );
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
