/** CSV into a DuckDB table through DuckDB's own CSV reader. */

import { InputError } from "../errors.ts";
import { duckdbMessage, type DuckDBSession, runQuery } from "./duckdb.ts";
import { quoteIdentifier, quoteLiteral } from "./sql.ts";

/**
 * Creates table `tableName` from CSV bytes with a header row. The file is
 * registered under an internal name, so no user text reaches the SQL. The
 * sniffer reads every row (`sample_size = -1`) so that a column whose late
 * rows contain text is typed VARCHAR instead of failing halfway. Duplicate header
 * names get DuckDB's suffixes, such as `x_1`.
 */
export function ingestCsv(
  session: DuckDBSession,
  bytes: Uint8Array,
  tableName: string,
  fileName: string,
): void {
  const internalFile = `${tableName}.csv`;
  session.bindings.registerFileBuffer(internalFile, bytes);
  try {
    runQuery(
      session,
      `CREATE TABLE ${quoteIdentifier(tableName)} AS SELECT * FROM ` +
        `read_csv(${
          quoteLiteral(internalFile)
        }, header = true, sample_size = -1)`,
    );
  } catch (error) {
    throw new InputError(
      `failed to read CSV file "${fileName}": ${duckdbMessage(error)}`,
      { cause: error },
    );
  } finally {
    session.bindings.dropFile(internalFile);
  }
}
