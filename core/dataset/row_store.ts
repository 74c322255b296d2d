import { InputError } from "../errors.ts";
import type { AttributeColumn, DroppedRow, LoadedTable } from "../load/mod.ts";
import type { Vectors } from "../types.ts";

/**
 * The rows of a data set: vectors and attribute columns, aligned by row. A
 * store is never changed; an append builds a new one, so a request that holds
 * the old store keeps consistent columns.
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

  const attributes = store.attributes.map((column) =>
    concatColumn(
      column,
      batch.attributes.find((other) => other.name === column.name)!,
    )
  );
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
    if (kindGroup(existing) !== kindGroup(column)) {
      throw new InputError(
        `Invalid type ${column.sqlType} for column "${column.name}" in the appended rows: the data set has ${existing.sqlType}`,
      );
    }
  }
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
