/**
 * Parquet into a DuckDB table. duckdb-wasm 1.32 has no built-in Parquet reader
 * (it would download the extension), so parquet-wasm decodes the file into
 * Arrow record batches and DuckDB ingests them one at a time.
 */

import { ParquetFile, type RecordBatch } from "parquet-wasm";
import { InputError } from "../errors.ts";
import { duckdbMessage, type DuckDBSession } from "./duckdb.ts";

/** Rows per decoded record batch, which bounds the memory of one batch. */
const BATCH_ROWS = 65_536;

/**
 * Creates table `tableName` from Parquet bytes. The stream yields one decoded
 * record batch at a time, and each batch goes into DuckDB before the next is
 * read, so the whole decoded table never exists outside DuckDB. parquet-wasm
 * reads from a Blob, which is one more copy of the file bytes.
 */
export async function ingestParquet(
  session: DuckDBSession,
  bytes: Uint8Array,
  tableName: string,
  fileName: string,
): Promise<void> {
  const fail = (error: unknown): InputError =>
    new InputError(
      `failed to read Parquet file "${fileName}": ${duckdbMessage(error)}`,
      { cause: error },
    );

  let file: ParquetFile;
  try {
    file = await ParquetFile.fromFile(
      new Blob([bytes as Uint8Array<ArrayBuffer>]),
    );
  } catch (error) {
    throw fail(error);
  }

  try {
    let created = false;
    const stream = await file.stream({ batchSize: BATCH_ROWS });
    for await (const batch of stream as ReadableStream<RecordBatch>) {
      const ipc = batch.intoIPCStream();
      session.connection.insertArrowFromIPCStream(ipc, {
        name: tableName,
        create: !created,
      });
      created = true;
    }

    // A file without rows yields no batch, so the schema alone creates the table.
    if (!created) {
      session.connection.insertArrowFromIPCStream(
        file.schema().intoIPCStream(),
        {
          name: tableName,
          create: true,
        },
      );
    }
  } catch (error) {
    throw fail(error);
  } finally {
    file.free();
  }
}
