import {
  renderClusterSizes,
  renderHistogram,
  renderScatter,
  renderTopValues,
  type Theme,
} from "../render/mod.ts";
import { InputError, NotFoundError } from "../core/errors.ts";
import type { AttributeColumn } from "../core/load/mod.ts";
import type { ReadyDataset } from "./dataset_state.ts";

/** The charts every data set offers, by URL name. */
export const CHART_KINDS = [
  "scatter",
  "sizes",
  "histogram",
  "top-values",
] as const;
export type ChartKind = typeof CHART_KINDS[number];

/** Validated parameters of one chart request. */
export interface ChartRequest {
  kind: ChartKind;
  width?: number;
  height?: number;
  column?: string;
  cluster?: number;
  theme?: Theme;
  transparent?: boolean;
}

/**
 * Renders one chart of a ready data set to SVG. Columns and clusters are
 * looked up by value among those the data set has, never used as code or SQL.
 */
export function buildChart(ready: ReadyDataset, request: ChartRequest): string {
  const { dataset, table, snapshot } = ready;
  const common = {
    width: request.width,
    height: request.height,
    theme: request.theme,
    transparent: request.transparent,
  };
  switch (request.kind) {
    case "scatter": {
      if (!snapshot.layout) {
        throw new NotFoundError(
          `Data set "${dataset.name}" has no 2-D layout because it was fitted with --no-umap`,
        );
      }
      const n = snapshot.rowCount;
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = snapshot.layout[i * 2]!;
        y[i] = snapshot.layout[i * 2 + 1]!;
      }
      return renderScatter({
        ...common,
        x,
        y,
        labels: snapshot.labels,
        rowNumbers: table.inputRows,
        minClusterSize: snapshot.params.hdbscan.minClusterSize,
        title: `${dataset.name}: UMAP projection by cluster`,
      });
    }
    case "sizes":
      return renderClusterSizes({
        ...common,
        labels: snapshot.labels,
        title: `${dataset.name}: cluster sizes`,
      });
    case "histogram":
    case "top-values": {
      const column = findColumn(ready, request.column, request.kind);
      const cluster = requireCluster(ready, request.cluster);
      const selection = maskOf(snapshot.labels, cluster);
      if (request.kind === "histogram") {
        if (column.kind === "categorical" || column.kind === "boolean") {
          throw new InputError(
            `Column "${column.name}" is ${column.sqlType}, not numeric; use top-values.svg for it`,
            { status: 400 },
          );
        }
        const values = column.kind === "temporal"
          ? column.epochMs
          : column.values;
        return renderHistogram({
          ...common,
          values,
          selection,
          column: column.name,
          cluster,
          temporal: column.kind === "temporal",
        });
      }
      const values = column.kind === "numeric"
        ? (column.exact ??
          Array.from(column.values, (v) => Number.isNaN(v) ? null : String(v)))
        : column.values;
      return renderTopValues({
        ...common,
        values,
        selection,
        column: column.name,
        cluster,
      });
    }
  }
}

function findColumn(
  ready: ReadyDataset,
  name: string | undefined,
  kind: string,
): AttributeColumn {
  const columns = ready.table.attributes;
  const list = columns.map((column) => column.name).join(", ");
  if (name === undefined) {
    throw new InputError(
      `Missing column for ${kind}.svg: add ?column=NAME, one of: ${list}`,
      { status: 400 },
    );
  }
  const column = columns.find((candidate) => candidate.name === name);
  if (!column) {
    throw new NotFoundError(
      `Column "${name}" not found in "${ready.dataset.name}"; columns: ${list}`,
    );
  }
  return column;
}

function requireCluster(
  ready: ReadyDataset,
  cluster: number | undefined,
): number {
  if (cluster === undefined) {
    throw new InputError("Missing cluster: add ?cluster=N (use -1 for noise)", {
      status: 400,
    });
  }
  if (!ready.snapshot.clusters.some((info) => info.label === cluster)) {
    const known = ready.snapshot.clusters.map((info) => info.label).join(", ");
    throw new NotFoundError(
      `Cluster ${cluster} not found in "${ready.dataset.name}"; clusters: ${known}`,
    );
  }
  return cluster;
}

function maskOf(labels: Int32Array, label: number): Uint8Array {
  const mask = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) mask[i] = labels[i] === label ? 1 : 0;
  return mask;
}
