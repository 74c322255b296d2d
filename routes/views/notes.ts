import type { ReadyDataset } from "../dataset_state.ts";
import { formatCount } from "./format.ts";

const LISTED_DROPPED_ROWS = 5;

/**
 * Explains results that would otherwise surprise: no clusters at all, a
 * single cluster, or rows dropped while loading. Returns plain-text notes.
 */
export function modelNotes(ready: ReadyDataset): string[] {
  const { table, snapshot } = ready;
  const { minClusterSize, allowSingleCluster } = snapshot.params.hdbscan;
  const notes: string[] = [];

  if (snapshot.rowCount < minClusterSize) {
    notes.push(
      `The table has ${
        formatCount(snapshot.rowCount)
      } rows, fewer than min_cluster_size (${minClusterSize}), so every row is noise. Lower --min-cluster-size to find clusters.`,
    );
  } else if (snapshot.clusterCount === 0) {
    notes.push(
      `All ${
        formatCount(snapshot.rowCount)
      } rows are noise: no group of at least min_cluster_size (${minClusterSize}) points stands out from the rest. ` +
        (allowSingleCluster
          ? "Lower --min-cluster-size or --min-samples to find smaller groups."
          : "If the data is one group, HDBSCAN only reports it with --allow-single-cluster; otherwise lower --min-cluster-size."),
    );
  } else if (snapshot.clusterCount === 1 && allowSingleCluster) {
    notes.push(
      "One cluster: allow_single_cluster is on, so HDBSCAN may return the whole data set as a single cluster instead of calling it noise.",
    );
  }

  if (table.dropped.length > 0) {
    const listed = table.dropped.slice(0, LISTED_DROPPED_ROWS)
      .map((row) => `row ${row.row} (${row.reason} in ${row.column})`).join(
        ", ",
      );
    const more = table.dropped.length > LISTED_DROPPED_ROWS
      ? `, and ${table.dropped.length - LISTED_DROPPED_ROWS} more`
      : "";
    notes.push(
      `${
        formatCount(table.dropped.length)
      } rows were dropped because their vector was invalid (--drop-invalid): ${listed}${more}.`,
    );
  }
  return notes;
}
