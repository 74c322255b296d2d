/**
 * Extraction and validation of the vectors: one row-major Float32Array, with
 * rows that contain NaN, Infinity, null or float32 overflow rejected or dropped.
 */

import type { Data, Vector } from "apache-arrow";
import { InputError } from "../errors.ts";
import type { Vectors } from "../types.ts";
import { type DuckDBSession, runQuery } from "./duckdb.ts";
import { parseNumberList } from "./number_list.ts";
import { quoteIdentifier } from "./sql.ts";
import type { DroppedRow } from "./types.ts";
import type { VectorSource } from "./vector_spec.ts";

/** Vectors of the kept rows, and the rows left out. */
export interface VectorReadResult {
  vectors: Vectors;
  dropped: DroppedRow[];
  /** 0-based input row of each kept row. */
  keptRows: Int32Array;
}

/**
 * Rows of list values in one flat array, as an Arrow list column stores them.
 * Row `i` spans `values[offsets[i]]` up to `values[offsets[i + 1]]`.
 */
interface ListChunk {
  length: number;
  offsets: Int32Array;
  values: Float32Array | Float64Array;
  isRowValid(row: number): boolean;
  /** Null when no value is null. */
  isValueValid: ((index: number) => boolean) | null;
}

/**
 * Reads the vectors of every row of `tableName`, in input order. Raises
 * InputError (422) for non-numeric text, ragged lengths and zero dimensions,
 * and for invalid values unless `dropInvalidRows` is set.
 */
export function readVectors(
  session: DuckDBSession,
  tableName: string,
  source: VectorSource,
  dropInvalidRows: boolean,
): VectorReadResult {
  const table = quoteIdentifier(tableName);
  const result = runQuery(
    session,
    `SELECT ${vectorExpression(source)} AS v FROM ${table}`,
  );
  const column = result.getChildAt(0)!;
  const chunks = source.kind === "list" && source.elementType === null
    ? [parseTextColumn(column, source.column.name)]
    : column.data.map(listChunk);

  const columnOf = source.kind === "features"
    ? (dimension: number) => source.columns[dimension]!.name
    : () => source.column.name;
  const sourceLabel = source.kind === "features"
    ? `feature columns ${source.columns.map((c) => c.name).join(", ")}`
    : `vector column "${source.column.name}"`;

  const dim = measureDimension(chunks, sourceLabel);
  return copyValidRows(chunks, result.numRows, dim, columnOf, dropInvalidRows);
}

/** SQL that yields one list of numbers per row: FLOAT[] stays float, all else becomes DOUBLE[]. */
function vectorExpression(source: VectorSource): string {
  if (source.kind === "features") {
    const items = source.columns.map((column) =>
      `CAST(${quoteIdentifier(column.name)} AS DOUBLE)`
    );
    return `list_value(${items.join(", ")})`;
  }
  const column = quoteIdentifier(source.column.name);
  if (source.elementType === null) return column;
  return source.elementType === "FLOAT"
    ? `CAST(${column} AS FLOAT[])`
    : `CAST(${column} AS DOUBLE[])`;
}

function listChunk(data: Data): ListChunk {
  const child = data.children[0]!;
  return {
    length: data.length,
    offsets: data.valueOffsets as Int32Array,
    values: child.values as Float32Array | Float64Array,
    isRowValid: (row) => data.getValid(row),
    isValueValid: child.nullCount > 0 ? (index) => child.getValid(index) : null,
  };
}

/** Parses a VARCHAR column of `[0.1,0.2]` texts into one list chunk. */
function parseTextColumn(column: Vector, columnName: string): ListChunk {
  const length = column.length;
  const offsets = new Int32Array(length + 1);
  const rowValid = new Uint8Array(length);
  let values = new Float64Array(Math.max(16, length * 4));
  let valueValid = new Uint8Array(values.length);
  let used = 0;
  let anyNullValue = false;

  let row = 0;
  for (const text of column as Iterable<string | null>) {
    offsets[row] = used;
    if (text !== null) {
      const parsed = parseNumberList(text);
      if ("item" in parsed) {
        throw new InputError(
          `vector column "${columnName}" row ${row} is not a list of numbers: ` +
            `${quoteValue(parsed.item)} in ${
              quoteValue(text)
            }; expected text such as [0.1,0.2]`,
        );
      }
      if (used + parsed.values.length > values.length) {
        const capacity = Math.max(
          values.length * 2,
          used + parsed.values.length,
        );
        values = grow(values, capacity);
        valueValid = grow(valueValid, capacity);
      }
      values.set(parsed.values, used);
      valueValid.fill(1, used, used + parsed.values.length);
      for (const position of parsed.nulls) valueValid[used + position] = 0;
      anyNullValue ||= parsed.nulls.length > 0;
      used += parsed.values.length;
      rowValid[row] = 1;
    }
    row++;
  }
  offsets[length] = used;

  return {
    length,
    offsets,
    values,
    isRowValid: (index) => rowValid[index] === 1,
    isValueValid: anyNullValue ? (index) => valueValid[index] === 1 : null,
  };
}

function grow<T extends Float64Array | Uint8Array>(
  array: T,
  capacity: number,
): T {
  const larger = new (array.constructor as new (length: number) => T)(capacity);
  larger.set(array);
  return larger;
}

/** Shortens a value for an error message and quotes it. */
function quoteValue(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** Returns the common length of the non-null lists, or raises if they differ or are empty. */
function measureDimension(
  chunks: readonly ListChunk[],
  sourceLabel: string,
): number {
  let dim = -1;
  let firstRow = -1;
  let row = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++, row++) {
      if (!chunk.isRowValid(i)) continue;
      const length = chunk.offsets[i + 1]! - chunk.offsets[i]!;
      if (dim === -1) {
        dim = length;
        firstRow = row;
      } else if (length !== dim) {
        throw new InputError(
          `ragged vectors in ${sourceLabel}: row ${firstRow} has ${dim} values but row ${row} has ${length}; ` +
            "every vector needs the same length",
        );
      }
    }
  }

  if (dim === -1) {
    throw new InputError(
      `${sourceLabel} is null in every row; there are no vectors to load`,
    );
  }
  if (dim === 0) {
    throw new InputError(
      `${sourceLabel} has vectors of 0 dimensions (row ${firstRow} is an empty list); ` +
        "vectors need at least 1 dimension",
    );
  }
  return dim;
}

/** Copies the valid rows into one Float32Array, and drops or rejects the others. */
function copyValidRows(
  chunks: readonly ListChunk[],
  rowCount: number,
  dim: number,
  columnOf: (dimension: number) => string,
  dropInvalidRows: boolean,
): VectorReadResult {
  let data = new Float32Array(rowCount * dim);
  const keptRows = new Int32Array(rowCount);
  const dropped: DroppedRow[] = [];
  let kept = 0;
  let row = 0;

  const reject = (column: string, reason: string): void => {
    if (!dropInvalidRows) {
      throw new InputError(
        `invalid vector at row ${row} (0-based input row): column "${column}" contains ${reason}; ` +
          'fix the data, or drop such rows with --drop-invalid ("dropInvalid": true in a config file)',
      );
    }
    dropped.push({ row, column, reason });
  };

  for (const chunk of chunks) {
    const { offsets, values, isValueValid } = chunk;
    for (let i = 0; i < chunk.length; i++, row++) {
      if (!chunk.isRowValid(i)) {
        reject(columnOf(0), "null");
        continue;
      }

      // Values go straight to the next free slot, which a rejected row leaves free.
      const start = offsets[i]!;
      const target = kept * dim;
      let reason: string | null = null;
      let dimension = 0;
      for (; dimension < dim; dimension++) {
        const index = start + dimension;
        if (isValueValid !== null && !isValueValid(index)) {
          reason = "null";
          break;
        }
        const value = values[index]!;
        const single = Math.fround(value);
        if (!Number.isFinite(single)) {
          reason = Number.isFinite(value)
            ? `${value}, which is outside the float32 range`
            : String(value);
          break;
        }
        data[target + dimension] = single;
      }
      if (reason !== null) {
        reject(columnOf(dimension), reason);
        continue;
      }
      keptRows[kept++] = row;
    }
  }

  if (kept === 0) {
    throw new InputError(
      `every one of the ${rowCount} rows has an invalid vector (the first: row ${
        dropped[0]?.row
      }, ` +
        `column "${dropped[0]?.column}", ${
          dropped[0]?.reason
        }); there are no rows left to load`,
    );
  }
  if (kept < rowCount) data = data.slice(0, kept * dim);
  return {
    vectors: { data, n: kept, dim },
    dropped,
    keptRows: kept < rowCount ? keptRows.slice(0, kept) : keptRows,
  };
}
