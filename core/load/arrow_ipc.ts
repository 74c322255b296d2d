/** Arrow IPC (file or stream format) into a DuckDB table. */

import {
  RecordBatchReader,
  RecordBatchStreamWriter,
  type Schema,
} from "apache-arrow";
import { InputError } from "../errors.ts";
import { duckdbMessage, type DuckDBSession } from "./duckdb.ts";

/**
 * Creates table `tableName` from Arrow IPC bytes in the file format (`ARROW1`)
 * or the stream format. Each record batch is re-encoded as a one-batch stream
 * and ingested on its own, so only one batch is copied at a time.
 */
export function ingestArrowIpc(
  session: DuckDBSession,
  bytes: Uint8Array,
  tableName: string,
  fileName: string,
): void {
  try {
    const reader = RecordBatchReader.from(bytes).open();
    let created = false;
    for (const batch of reader) {
      const ipc = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
      session.connection.insertArrowFromIPCStream(ipc, {
        name: tableName,
        create: !created,
      });
      created = true;
    }

    // A file without batches still has a schema, which creates an empty table.
    if (!created) {
      session.connection.insertArrowFromIPCStream(
        schemaOnlyStream(reader.schema),
        {
          name: tableName,
          create: true,
        },
      );
    }
  } catch (error) {
    throw new InputError(
      `failed to read Arrow file "${fileName}": ${duckdbMessage(error)}`,
      { cause: error },
    );
  }
}

/** Encodes an Arrow stream that contains a schema and no batches. */
export function schemaOnlyStream(schema: Schema): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  writer.close();
  return writer.toUint8Array(true);
}
