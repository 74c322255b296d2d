/** Choice of a file format from the file name or from the first bytes. */

import { InputError } from "../errors.ts";
import type { TableFormat } from "./types.ts";

export const TABLE_FORMATS: readonly TableFormat[] = [
  "csv",
  "parquet",
  "arrow",
  "ndjson",
];

const FORMAT_BY_EXTENSION: Record<string, TableFormat> = {
  csv: "csv",
  tsv: "csv",
  parquet: "parquet",
  pq: "parquet",
  arrow: "arrow",
  arrows: "arrow",
  feather: "arrow",
  ipc: "arrow",
  ndjson: "ndjson",
  jsonl: "ndjson",
};

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const ARROW_FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const ARROW_STREAM_CONTINUATION = [0xff, 0xff, 0xff, 0xff];
const GZIP_MAGIC = [0x1f, 0x8b];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Returns the format that the extension of `fileName` names. When the
 * extension is missing or unknown, the first bytes decide: `PAR1` is Parquet,
 * `ARROW1` or the 0xFFFFFFFF continuation marker is Arrow IPC, `{` is NDJSON,
 * and anything else is CSV.
 */
export function detectFormat(fileName: string, bytes: Uint8Array): TableFormat {
  if (startsWith(bytes, GZIP_MAGIC)) {
    throw new InputError(
      `cannot read "${fileName}": the file is gzip-compressed; decompress it first`,
    );
  }

  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const byExtension = extension === undefined
    ? undefined
    : FORMAT_BY_EXTENSION[extension];
  if (byExtension !== undefined) return byExtension;

  if (startsWith(bytes, PARQUET_MAGIC)) return "parquet";
  if (startsWith(bytes, ARROW_FILE_MAGIC)) return "arrow";
  if (startsWith(bytes, ARROW_STREAM_CONTINUATION)) return "arrow";

  // Binary content that matches no format above (a spreadsheet, an image) is not CSV either.
  if (bytes.subarray(0, 4096).includes(0)) {
    throw new InputError(
      `cannot read "${fileName}": unsupported file format; use CSV, Parquet, Arrow IPC or NDJSON`,
    );
  }

  const first = firstTextByte(bytes);
  if (first === 0x7b) return "ndjson"; // "{"
  if (first === 0x5b) { // "["
    throw new InputError(
      `cannot read "${fileName}": it looks like one JSON array; ` +
        "write one JSON object per line (NDJSON) instead",
    );
  }
  return "csv";
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((byte, i) => bytes[i] === byte);
}

/** Returns the first byte after a UTF-8 byte order mark and ASCII whitespace. */
function firstTextByte(bytes: Uint8Array): number | undefined {
  let i = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
  while (i < bytes.length && isAsciiSpace(bytes[i]!)) i++;
  return bytes[i];
}

function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
