import type { RowStore } from "./row_store.ts";
import {
  clusterMask,
  type NumericSummary,
  summariseNumeric,
  topValues,
  type ValueShare,
} from "./column_summary.ts";

/** Profile of one column inside a cluster and in the whole table. */
export type ColumnProfile =
  | {
    name: string;
    type: string;
    kind: "numeric";
    cluster: NumericSummary;
    table: NumericSummary;
  }
  | {
    name: string;
    type: string;
    kind: "categorical" | "boolean";
    distinct: number;
    missing: number;
    /** Most frequent values in the cluster, with their share of the whole table beside. */
    top: (ValueShare & { tableShare: number })[];
  }
  | {
    name: string;
    type: string;
    kind: "temporal";
    count: number;
    missing: number;
    min: string | null;
    max: string | null;
  };

const TOP_VALUES = 10;

/**
 * Profiles every attribute column for the rows whose label is `label`. Values
 * of BIGINT and DECIMAL columns are reported as exact text where a double
 * could round them.
 */
export function profileCluster(
  store: RowStore,
  labels: Int32Array,
  label: number,
): ColumnProfile[] {
  const mask = clusterMask(labels, label);
  return store.attributes.map((column): ColumnProfile => {
    if (column.kind === "numeric") {
      return {
        name: column.name,
        type: column.sqlType,
        kind: "numeric",
        cluster: summariseNumeric(column.values, mask, column.exact),
        table: summariseNumeric(column.values, undefined, column.exact),
      };
    }
    if (column.kind === "temporal") {
      let min = -1;
      let max = -1;
      let count = 0;
      for (let i = 0; i < mask.length; i++) {
        const time = column.epochMs[i]!;
        if (mask[i] === 0 || Number.isNaN(time)) continue;
        count++;
        if (min < 0 || time < column.epochMs[min]!) min = i;
        if (max < 0 || time > column.epochMs[max]!) max = i;
      }
      const selected = mask.reduce((sum, bit) => sum + bit, 0);
      return {
        name: column.name,
        type: column.sqlType,
        kind: "temporal",
        count,
        missing: selected - count,
        min: min >= 0 ? column.values[min] ?? null : null,
        max: max >= 0 ? column.values[max] ?? null : null,
      };
    }
    const inCluster = topValues(column.values, mask, TOP_VALUES);
    const inTable = topValues(
      column.values,
      undefined,
      Number.MAX_SAFE_INTEGER,
    );
    const tableShares = new Map(
      inTable.values.map((entry) => [entry.value, entry.share]),
    );
    return {
      name: column.name,
      type: column.sqlType,
      kind: column.kind,
      distinct: inCluster.distinct,
      missing: inCluster.missing,
      top: inCluster.values.map((entry) => ({
        ...entry,
        tableShare: tableShares.get(entry.value) ?? 0,
      })),
    };
  });
}
