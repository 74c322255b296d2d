/** Column names and DuckDB types of a loaded table. */

import { InputError } from "../errors.ts";
import { type DuckDBSession, runQuery } from "./duckdb.ts";
import { quoteIdentifier } from "./sql.ts";

/** A column as DuckDB describes it. */
export interface ColumnInfo {
  name: string;
  /** DuckDB type name, such as `DOUBLE`, `FLOAT[32]` or `DECIMAL(18,4)`. */
  sqlType: string;
}

/** Lists the columns of a table in their order in the file. */
export function describeColumns(
  session: DuckDBSession,
  tableName: string,
): ColumnInfo[] {
  const result = runQuery(session, `DESCRIBE ${quoteIdentifier(tableName)}`);
  const names = result.getChild("column_name");
  const types = result.getChild("column_type");
  const columns: ColumnInfo[] = [];
  for (let i = 0; i < result.numRows; i++) {
    columns.push({
      name: String(names?.get(i)),
      sqlType: String(types?.get(i)),
    });
  }
  return columns;
}

/** Counts the rows of a table. */
export function countRows(session: DuckDBSession, source: string): number {
  const result = runQuery(
    session,
    `SELECT count(*) AS row_count FROM ${source}`,
  );
  return Number(result.getChild("row_count")?.get(0) ?? 0);
}

/**
 * Returns the first non-null value of a text column, or null when it has
 * none. The default vector choice uses it to spot JSON-array text.
 */
export function firstText(
  session: DuckDBSession,
  tableName: string,
  columnName: string,
): string | null {
  const column = quoteIdentifier(columnName);
  const result = runQuery(
    session,
    `SELECT ${column} AS value FROM ${quoteIdentifier(tableName)} ` +
      `WHERE ${column} IS NOT NULL LIMIT 1`,
  );
  const value = result.getChild("value")?.get(0);
  return value === undefined || value === null ? null : String(value);
}

/** Returns the error for a table without rows, whatever its format. */
export function noRowsError(fileName: string): InputError {
  return new InputError(`cannot load "${fileName}": the table has no rows`);
}

/**
 * Formats column names for an error message, at most `limit` of them, so a
 * table with hundreds of columns still gives a readable message.
 */
export function listColumnNames(
  columns: readonly ColumnInfo[],
  limit = 20,
): string {
  const shown = columns.slice(0, limit).map((column) => column.name).join(", ");
  if (columns.length <= limit) return shown;
  return `${shown}, ... (${columns.length} columns)`;
}
