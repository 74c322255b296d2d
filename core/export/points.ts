import { tableFromArrays, tableToIPC } from "apache-arrow";

/** Per-row model output to export: the columns of the points table. */
export interface PointColumns {
  readonly labels: Int32Array;
  readonly probabilities: Float64Array;
  readonly outlierScores: Float64Array;
  readonly layout: Float32Array | null;
  /**
   * 0-based input row of each point. Without it, points are numbered 0..n-1;
   * with rows dropped while loading, the numbers skip them.
   */
  readonly rows?: Int32Array;
}

export type PointsFormat = "csv" | "json" | "arrow";

/** Column names of every points export, in order. */
export const POINT_FIELDS = [
  "row",
  "label",
  "probability",
  "outlier_score",
  "x",
  "y",
] as const;

/**
 * Formats a float for text output: shortest round-trip form of the value
 * rounded to 7 significant digits, which float32 layouts and probabilities
 * need no more than. Deterministic, so equal models give equal bytes.
 */
function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(7))) : "";
}

/** Writes the points as CSV: header, then one line per input row in order. */
export function pointsToCsv(points: PointColumns): string {
  const { labels, probabilities, outlierScores, layout } = points;
  const lines = new Array<string>(labels.length + 1);
  lines[0] = POINT_FIELDS.join(",");
  for (let i = 0; i < labels.length; i++) {
    const x = layout ? formatNumber(layout[i * 2]!) : "";
    const y = layout ? formatNumber(layout[i * 2 + 1]!) : "";
    lines[i + 1] = `${rowNumber(points, i)},${labels[i]},${
      formatNumber(probabilities[i]!)
    },${formatNumber(outlierScores[i]!)},${x},${y}`;
  }
  return lines.join("\n") + "\n";
}

/** Writes the points as a JSON array of objects; x and y are null without a layout. */
export function pointsToJson(points: PointColumns): string {
  const { labels, probabilities, outlierScores, layout } = points;
  const rows = new Array<string>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const x = layout ? formatNumber(layout[i * 2]!) || "null" : "null";
    const y = layout ? formatNumber(layout[i * 2 + 1]!) || "null" : "null";
    rows[i] =
      `{"row":${rowNumber(points, i)},"label":${labels[i]},"probability":${
        formatNumber(probabilities[i]!) || "null"
      },` +
      `"outlier_score":${
        formatNumber(outlierScores[i]!) || "null"
      },"x":${x},"y":${y}}`;
  }
  return `[${rows.join(",\n")}]\n`;
}

/** Writes the points as an Arrow IPC stream; x and y are null without a layout. */
export function pointsToArrow(points: PointColumns): Uint8Array<ArrayBuffer> {
  const { labels, probabilities, outlierScores, layout } = points;
  const n = labels.length;
  const row = new Int32Array(n);
  for (let i = 0; i < n; i++) row[i] = rowNumber(points, i);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  if (layout) {
    for (let i = 0; i < n; i++) {
      x[i] = layout[i * 2]!;
      y[i] = layout[i * 2 + 1]!;
    }
  }
  const table = tableFromArrays({
    row,
    label: labels,
    probability: probabilities,
    outlier_score: outlierScores,
    x: layout ? x : Array.from({ length: n }, () => null as number | null),
    y: layout ? y : Array.from({ length: n }, () => null as number | null),
  });
  const bytes = tableToIPC(table, "stream");
  return new Uint8Array(
    bytes.buffer as ArrayBuffer,
    bytes.byteOffset,
    bytes.byteLength,
  );
}

function rowNumber(points: PointColumns, i: number): number {
  return points.rows ? points.rows[i]! : i;
}
