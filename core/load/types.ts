/**
 * Public types of the loader. This module imports only types, so every file of
 * the loader and its callers may depend on it.
 */

import type { Table } from "apache-arrow";
import type { Vectors } from "../types.ts";

/** File formats that the loader reads. */
export type TableFormat = "csv" | "parquet" | "arrow" | "ndjson";

/**
 * Which columns form the vectors.
 *
 * - `{ vector: "embedding" }` takes one column that contains a list of numbers
 *   per row: a LIST or fixed-size ARRAY column, or text such as `[0.1,0.2]`.
 * - `{ features: "a,b,c" }` takes numeric columns, one dimension each. The
 *   value is a comma-separated list of names, a range such as `p0..p63`
 *   (prefix plus integer range, both ends included), or a prefix glob such as
 *   `p*` (every column named by the prefix and digits, in numeric order).
 */
export type VectorSpec = { vector: string } | { features: string };

/** Options of `loadFile` and `loadBytes`. */
export interface LoadOptions {
  /**
   * Without it, the vectors are the one LIST or ARRAY column of numbers, else
   * a column named `embedding` or `vector`, else the one text column of JSON
   * arrays of numbers, else every numeric column except row ids such as `id`
   * or `user_id` (see `resolveVectorSource`).
   */
  vectorSpec?: VectorSpec;
  /**
   * Drops rows whose vector contains NaN, Infinity, null or a value outside
   * the float32 range, and lists them in `LoadedTable.dropped`. Without it,
   * such a row raises an InputError.
   */
  dropInvalidRows?: boolean;
  /** Overrides the format that the file name or its first bytes suggest. */
  format?: TableFormat;
}

/** Numeric column values, NaN for null. */
export interface NumericAttribute {
  kind: "numeric";
  name: string;
  /** DuckDB type name, such as `BIGINT` or `DECIMAL(18,4)`. */
  sqlType: string;
  values: Float64Array;
  /**
   * Exact decimal text per row (null for null), present for BIGINT, HUGEINT,
   * their unsigned forms and DECIMAL, whose values a double may round.
   */
  exact?: (string | null)[];
}

/** Text or other non-numeric column values as text, null for null. */
export interface CategoricalAttribute {
  kind: "categorical";
  name: string;
  sqlType: string;
  /** Values as DuckDB prints them, lists and structs included. */
  values: (string | null)[];
}

/** BOOLEAN column values. */
export interface BooleanAttribute {
  kind: "boolean";
  name: string;
  sqlType: string;
  /** `true`, `false`, or null for null. */
  values: (string | null)[];
}

/** DATE or TIMESTAMP column values. */
export interface TemporalAttribute {
  kind: "temporal";
  name: string;
  sqlType: string;
  /** Values as DuckDB prints them, such as `2024-01-31` or `2024-01-31 08:00:00`. */
  values: (string | null)[];
  /** Milliseconds since 1970-01-01 UTC, NaN for null. */
  epochMs: Float64Array;
}

/** One column other than the vector column, aligned with the loaded rows. */
export type AttributeColumn =
  | NumericAttribute
  | CategoricalAttribute
  | BooleanAttribute
  | TemporalAttribute;

/** A row left out because its vector was invalid. */
export interface DroppedRow {
  /** 0-based row of the input, not counting a CSV header. */
  row: number;
  /** The vector column, or the feature column that contains the bad value. */
  column: string;
  /** The bad value: `NaN`, `Infinity`, `-Infinity`, `null`, or a number outside the float32 range. */
  reason: string;
}

/** A table read from a file, with its vectors and attribute columns. */
export interface LoadedTable {
  /** The file name given to `loadBytes`, or the base name of the path. */
  name: string;
  /** Size of the input that was read, in bytes. */
  byteLength: number;
  format: TableFormat;
  /** Rows kept, which is the input rows minus `dropped`. */
  rowCount: number;
  /** One vector per kept row, row-major float32. */
  vectors: Vectors;
  /** The vector column, or the feature columns in dimension order. */
  vectorColumns: string[];
  /** Every column except a `vector` column. Feature columns are kept here too. */
  attributes: AttributeColumn[];
  dropped: DroppedRow[];
  /** 0-based input row of each kept row. */
  inputRows: Int32Array;
  /** All columns of the kept rows, in input order, as DuckDB types them. */
  table: Table;
}
