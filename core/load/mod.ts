/**
 * The loader: reads a CSV, Parquet, Arrow IPC or NDJSON table with an
 * in-process DuckDB (duckdb-wasm), and returns its vectors as one float32
 * matrix plus every other column as attributes.
 *
 * @example
 * ```ts ignore
 * import { closeDuckDB, loadFile } from "./mod.ts";
 *
 * const table = await loadFile("users.parquet", { vectorSpec: { vector: "embedding" } });
 * console.log(table.rowCount, table.vectors.dim);
 * await closeDuckDB();
 * ```
 */

export { loadBytes, loadFile } from "./load.ts";
export { closeDuckDB } from "./duckdb.ts";
export { detectFormat } from "./format.ts";
export type {
  AttributeColumn,
  BooleanAttribute,
  CategoricalAttribute,
  DroppedRow,
  LoadedTable,
  LoadOptions,
  NumericAttribute,
  TableFormat,
  TemporalAttribute,
  VectorSpec,
} from "./types.ts";
