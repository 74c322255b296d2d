/** The load pipeline: file bytes to a DuckDB table to vectors and attributes. */

import { basename } from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { InputError, NotFoundError } from "../errors.ts";
import { readAttributes } from "./attributes.ts";
import { ingestArrowIpc } from "./arrow_ipc.ts";
import {
  countRows,
  describeColumns,
  firstText,
  noRowsError,
} from "./columns.ts";
import { ingestCsv } from "./csv.ts";
import {
  createTableName,
  type DuckDBSession,
  runQuery,
  withDuckDB,
} from "./duckdb.ts";
import { detectFormat, TABLE_FORMATS } from "./format.ts";
import { ingestNdjson } from "./ndjson.ts";
import { ingestParquet } from "./parquet.ts";
import { quoteIdentifier } from "./sql.ts";
import type { LoadedTable, LoadOptions, TableFormat } from "./types.ts";
import { resolveVectorSource, validateVectorSpec } from "./vector_spec.ts";
import { readVectors } from "./vectors.ts";

/**
 * Loads a table file. Raises NotFoundError when the file does not exist, and
 * otherwise behaves as `loadBytes` with the file's base name.
 */
export async function loadFile(
  path: string,
  options: LoadOptions = {},
): Promise<LoadedTable> {
  validateLoadOptions(options);

  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new NotFoundError(`file not found: "${path}"; check the path`, {
        cause: error,
      });
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new InputError(
        `cannot load "${path}": it is a directory; pass a table file`,
        {
          status: 400,
          cause: error,
        },
      );
    }
    throw error;
  }
  return loadBytes(bytes, basename(path), options);
}

/**
 * Loads a table from the bytes of a CSV (with a header row), Parquet, Arrow
 * IPC or NDJSON file. `name` is the file name: its extension picks the format
 * unless `options.format` does, and the first bytes decide when neither does.
 *
 * Loads run one at a time on a shared DuckDB instance. Rows keep their input
 * order. Raises InputError with status 400 for invalid options or an unknown
 * column, and 422 for data that cannot be loaded.
 */
export async function loadBytes(
  bytes: Uint8Array,
  name: string,
  options: LoadOptions = {},
): Promise<LoadedTable> {
  validateLoadOptions(options);
  const format = options.format ?? detectFormat(name, bytes);
  return await withDuckDB((session) =>
    loadWithSession(session, bytes, name, format, options)
  );
}

function validateLoadOptions(options: LoadOptions): void {
  if (options.format !== undefined && !TABLE_FORMATS.includes(options.format)) {
    throw new InputError(
      `invalid format ${JSON.stringify(options.format)}; expected one of ${
        TABLE_FORMATS.join(", ")
      }`,
      { status: 400 },
    );
  }
  validateVectorSpec(options.vectorSpec);
}

async function loadWithSession(
  session: DuckDBSession,
  bytes: Uint8Array,
  name: string,
  format: TableFormat,
  options: LoadOptions,
): Promise<LoadedTable> {
  const tableName = createTableName();
  const maskName = `${tableName}_keep`;
  try {
    await ingest(session, bytes, tableName, name, format);
    const table = readTable(
      session,
      tableName,
      maskName,
      name,
      format,
      options,
    );
    return { ...table, byteLength: bytes.length };
  } finally {
    runQuery(session, `DROP TABLE IF EXISTS ${quoteIdentifier(tableName)}`);
    runQuery(session, `DROP TABLE IF EXISTS ${quoteIdentifier(maskName)}`);
  }
}

function ingest(
  session: DuckDBSession,
  bytes: Uint8Array,
  tableName: string,
  fileName: string,
  format: TableFormat,
): Promise<void> | void {
  switch (format) {
    case "csv":
      return ingestCsv(session, bytes, tableName, fileName);
    case "parquet":
      return ingestParquet(session, bytes, tableName, fileName);
    case "arrow":
      return ingestArrowIpc(session, bytes, tableName, fileName);
    case "ndjson":
      return ingestNdjson(session, bytes, tableName, fileName);
  }
}

function readTable(
  session: DuckDBSession,
  tableName: string,
  maskName: string,
  name: string,
  format: TableFormat,
  options: LoadOptions,
): Omit<LoadedTable, "byteLength"> {
  const columns = describeColumns(session, tableName);
  const inputRowCount = countRows(session, quoteIdentifier(tableName));
  if (inputRowCount === 0) {
    throw noRowsError(name);
  }

  const source = resolveVectorSource(
    options.vectorSpec,
    columns,
    (column) => firstText(session, tableName, column),
  );
  const { vectors, dropped, keptRows } = readVectors(
    session,
    tableName,
    source,
    options.dropInvalidRows ?? false,
  );

  // With dropped rows, a positional join with a keep mask selects the rest in order.
  let rows = quoteIdentifier(tableName);
  if (dropped.length > 0) {
    const keep = new Uint8Array(inputRowCount).fill(1);
    for (const { row } of dropped) keep[row] = 0;
    const mask = tableFromArrays({
      keep: Array.from(keep, (flag) => flag === 1),
    });
    session.connection.insertArrowFromIPCStream(tableToIPC(mask, "stream"), {
      name: maskName,
      create: true,
    });
    rows = `(SELECT source.* FROM ${quoteIdentifier(tableName)} AS source ` +
      `POSITIONAL JOIN ${quoteIdentifier(maskName)} AS mask WHERE mask.keep)`;
  }

  const attributeColumns = source.kind === "list"
    ? columns.filter((column) => column.name !== source.column.name)
    : columns;
  return {
    name,
    format,
    rowCount: vectors.n,
    vectors,
    vectorColumns: source.kind === "list"
      ? [source.column.name]
      : source.columns.map((column) => column.name),
    attributes: readAttributes(session, rows, attributeColumns),
    dropped,
    inputRows: keptRows,
    table: runQuery(session, `SELECT * FROM ${rows}`),
  };
}
