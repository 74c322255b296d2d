import { InputError } from "../errors.ts";
import type { AttributeColumn, DroppedRow, LoadedTable } from "../load/mod.ts";
import type { Vectors } from "../types.ts";

/**
 * The rows of a data set: vectors and attribute columns, aligned by row. A
 * store is never changed. An append builds a new one, so a request that still
 * reads the old store gets consistent columns.
 */
export interface RowStore {
  readonly rowCount: number;
  readonly vectors: Vectors;
  readonly vectorColumns: readonly string[];
  readonly attributes: readonly AttributeColumn[];
  readonly dropped: readonly DroppedRow[];
  /** 0-based input row of each kept row, counted across the first load and all appends. */
  readonly inputRows: Int32Array;
  /** Input rows read so far, kept or dropped. */
  readonly inputRowCount: number;
}

/** Wraps a freshly loaded table as the first store of a data set. */
export function storeFromTable(table: LoadedTable): RowStore {
  return {
    rowCount: table.rowCount,
    vectors: table.vectors,
    vectorColumns: table.vectorColumns,
    attributes: table.attributes,
    dropped: table.dropped,
    inputRows: table.inputRows,
    inputRowCount: table.rowCount + table.dropped.length,
  };
}

/**
 * Returns a new store with the rows of `batch` after those of `store`. The
 * batch must have the same vector columns and length and the same attribute
 * columns of compatible kinds; otherwise an InputError names the difference
 * and `store` is untouched.
 */
export function appendToStore(store: RowStore, batch: LoadedTable): RowStore {
  checkSchema(store, batch);
  const { n: oldRows, dim } = store.vectors;
  const rows = oldRows + batch.rowCount;

  const data = new Float32Array(rows * dim);
  data.set(store.vectors.data.subarray(0, oldRows * dim));
  data.set(batch.vectors.data.subarray(0, batch.rowCount * dim), oldRows * dim);

  const inputRows = new Int32Array(rows);
  inputRows.set(store.inputRows);
  for (let i = 0; i < batch.rowCount; i++) {
    inputRows[oldRows + i] = store.inputRowCount + batch.inputRows[i]!;
  }

  const attributes = store.attributes.map((column) => {
    const addition = batch.attributes.find((other) =>
      other.name === column.name
    )!;
    const aligned =
      isAllNull(addition) && kindGroup(addition) !== kindGroup(column)
        ? nullColumn(column, batch.rowCount)
        : addition;
    return concatColumn(column, aligned);
  });
  return {
    rowCount: rows,
    vectors: { data, n: rows, dim },
    vectorColumns: store.vectorColumns,
    attributes,
    dropped: store.dropped,
    inputRows,
    inputRowCount: store.inputRowCount + batch.rowCount + batch.dropped.length,
  };
}

function checkSchema(store: RowStore, batch: LoadedTable): void {
  if (batch.rowCount === 0) {
    throw new InputError("Appended table has no rows; send at least one row");
  }
  if (batch.vectors.dim !== store.vectors.dim) {
    throw new InputError(
      `Invalid vector length ${batch.vectors.dim} in the appended rows: the data set's vectors have ${store.vectors.dim} dimensions`,
    );
  }
  if (
    batch.vectorColumns.join("\u0000") !== store.vectorColumns.join("\u0000")
  ) {
    throw new InputError(
      `Appended rows take their vector from ${
        batch.vectorColumns.join(", ")
      }, the data set from ${
        store.vectorColumns.join(", ")
      }; send the same columns`,
    );
  }
  const expected = new Map(
    store.attributes.map((column) => [column.name, column]),
  );
  const missing = [...expected.keys()].filter((name) =>
    !batch.attributes.some((column) => column.name === name)
  );
  if (missing.length > 0) {
    throw new InputError(
      `Missing columns in the appended rows: ${
        missing.join(", ")
      }; send every column of the data set`,
    );
  }
  for (const column of batch.attributes) {
    const existing = expected.get(column.name);
    if (!existing) {
      throw new InputError(
        `Unknown column "${column.name}" in the appended rows; the data set has: ${
          [...expected.keys()].join(", ")
        }`,
      );
    }
    if (isAllNull(column)) continue;
    if (kindGroup(existing) !== kindGroup(column)) {
      throw new InputError(
        `Invalid type ${column.sqlType} for column "${column.name}" in the appended rows: the data set has ${existing.sqlType}; send values of that type or leave them empty`,
      );
    }
    if (existing.kind === "numeric" && column.kind === "numeric") {
      checkIntegers(existing, column);
    }
  }
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INTEGER: [-2147483648, 2147483647],
  BIGINT: [-(2 ** 63), 2 ** 63 - 1],
  HUGEINT: [-(2 ** 127), 2 ** 127 - 1],
  UTINYINT: [0, 255],
  USMALLINT: [0, 65535],
  UINTEGER: [0, 4294967295],
  UBIGINT: [0, 2 ** 64 - 1],
  UHUGEINT: [0, 2 ** 128 - 1],
};

/** Rejects fractions and out-of-range values sent to an integer column. */
function checkIntegers(existing: NumericColumn, column: NumericColumn): void {
  const range = INTEGER_RANGES[existing.sqlType];
  if (!range) return;
  for (let i = 0; i < column.values.length; i++) {
    const value = column.values[i]!;
    if (Number.isNaN(value)) continue;
    if (!Number.isInteger(value) || value < range[0] || value > range[1]) {
      const text = column.exact?.[i] ?? String(value);
      throw new InputError(
        `Invalid value ${text} in row ${i} of the appended rows for column "${column.name}": the data set's column is ${existing.sqlType}, so send a whole number from ${
          BigInt(range[0])
        } to ${BigInt(range[1])}`,
      );
    }
  }
}

type NumericColumn = Extract<AttributeColumn, { kind: "numeric" }>;

/** Tells whether every value of a column is null, whatever type the batch's reader gave it. */
function isAllNull(column: AttributeColumn): boolean {
  if (column.kind === "numeric") return column.values.every(Number.isNaN);
  return column.values.every((value) => value === null);
}

/** Builds a column of `length` nulls of the same kind and type as `like`. */
function nullColumn(like: AttributeColumn, length: number): AttributeColumn {
  if (like.kind === "numeric") {
    return {
      ...like,
      values: new Float64Array(length).fill(NaN),
      exact: like.exact ? new Array(length).fill(null) : undefined,
    };
  }
  if (like.kind === "temporal") {
    return {
      ...like,
      values: new Array(length).fill(null),
      epochMs: new Float64Array(length).fill(NaN),
    };
  }
  return { ...like, values: new Array(length).fill(null) };
}

function kindGroup(column: AttributeColumn): string {
  return column.kind === "boolean" ? "categorical" : column.kind;
}

function concatColumn(
  column: AttributeColumn,
  addition: AttributeColumn,
): AttributeColumn {
  if (column.kind === "numeric" && addition.kind === "numeric") {
    const values = new Float64Array(
      column.values.length + addition.values.length,
    );
    values.set(column.values);
    values.set(addition.values, column.values.length);
    const exact = column.exact || addition.exact
      ? [
        ...exactText(column.values, column.exact),
        ...exactText(addition.values, addition.exact),
      ]
      : undefined;
    return { ...column, values, exact };
  }
  if (column.kind === "temporal" && addition.kind === "temporal") {
    const epochMs = new Float64Array(
      column.epochMs.length + addition.epochMs.length,
    );
    epochMs.set(column.epochMs);
    epochMs.set(addition.epochMs, column.epochMs.length);
    return {
      ...column,
      values: [...column.values, ...addition.values],
      epochMs,
    };
  }
  if (
    (column.kind === "categorical" || column.kind === "boolean") &&
    "values" in addition
  ) {
    const values = addition.values as readonly (string | number | null)[];
    return {
      ...column,
      values: [
        ...column.values,
        ...Array.from(values, (v) => v === null ? null : String(v)),
      ],
    };
  }
  throw new InputError(
    `Cannot append a ${addition.kind} column "${addition.name}" to a ${column.kind} column`,
  );
}

function exactText(
  values: Float64Array,
  exact: readonly (string | null)[] | undefined,
): (string | null)[] {
  if (exact) return [...exact];
  return Array.from(
    values,
    (value) => Number.isNaN(value) ? null : String(value),
  );
}
