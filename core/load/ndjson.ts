/**
 * NDJSON into a DuckDB table. duckdb-wasm 1.32 reads JSON only through the
 * json extension, which it would download, so this file parses the lines,
 * infers a type per key, and ingests Arrow record batches.
 */

import {
  Bool,
  type Builder,
  type DataType,
  Field,
  Float64,
  Int64,
  List,
  makeBuilder,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Utf8,
} from "apache-arrow";
import { InputError } from "../errors.ts";
import { noRowsError } from "./columns.ts";
import { duckdbMessage, type DuckDBSession, runQuery } from "./duckdb.ts";
import { quoteIdentifier } from "./sql.ts";

/**
 * Inferred type of one key. Integers become BIGINT, a mix of integers and
 * fractions becomes DOUBLE, arrays of numbers become DOUBLE[], and any other
 * mix, object or array becomes VARCHAR containing the JSON text.
 */
type ValueKind = "boolean" | "integer" | "number" | "numberList" | "text";

type JsonValue = unknown;
type JsonRow = Record<string, JsonValue>;

const BATCH_ROWS = 16_384;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Creates table `tableName` from NDJSON bytes: one JSON object per line, blank
 * lines skipped. Keys become columns in the order they first appear, and a
 * row without a key has null there. Text columns whose every value is a date
 * or a timestamp become DATE or TIMESTAMP.
 */
export function ingestNdjson(
  session: DuckDBSession,
  bytes: Uint8Array,
  tableName: string,
  fileName: string,
): void {
  const rows = parseLines(bytes, fileName);
  if (rows.length === 0) throw noRowsError(fileName);
  const kinds = inferKinds(rows);
  if (kinds.size === 0) {
    throw new InputError(
      `cannot load "${fileName}": every object is empty, so the table has no columns`,
    );
  }
  const schema = new Schema(
    [...kinds].map(([name, kind]) => new Field(name, arrowType(kind), true)),
  );

  try {
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      const batch = buildBatch(
        schema,
        kinds,
        rows.slice(start, start + BATCH_ROWS),
      );
      const ipc = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
      session.connection.insertArrowFromIPCStream(ipc, {
        name: tableName,
        create: start === 0,
      });
    }
  } catch (error) {
    throw new InputError(
      `failed to read NDJSON file "${fileName}": ${duckdbMessage(error)}`,
      { cause: error },
    );
  }

  const textColumns = [...kinds].filter(([, kind]) => kind === "text").map((
    [name],
  ) => name);
  promoteTemporalColumns(session, tableName, textColumns);
}

/** Parses each non-blank line as a JSON object. */
function parseLines(bytes: Uint8Array, fileName: string): JsonRow[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      bytes,
    );
  } catch (error) {
    throw new InputError(
      `failed to read NDJSON file "${fileName}": the file is not valid UTF-8`,
      { cause: error },
    );
  }

  const rows: JsonRow[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line, keepLargeIntegers);
    } catch (error) {
      throw new InputError(
        `failed to read NDJSON file "${fileName}": line ${
          i + 1
        } is not valid JSON ` +
          `(${(error as Error).message})`,
        { cause: error },
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new InputError(
        `failed to read NDJSON file "${fileName}": line ${
          i + 1
        } is not a JSON object; ` +
          "write one object per line",
      );
    }
    rows.push(value as JsonRow);
  }
  return rows;
}

/**
 * JSON.parse reviver that turns integers beyond 2^53 into BigInt from their
 * source text, which JSON.parse passes as `context.source` (ES2025).
 */
function keepLargeIntegers(
  _key: string,
  value: unknown,
  context?: { source?: string },
): unknown {
  if (typeof value !== "number" || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  if (source !== undefined && /^-?\d+$/.test(source)) return BigInt(source);
  return value;
}

function inferKinds(rows: readonly JsonRow[]): Map<string, ValueKind> {
  const kinds = new Map<string, ValueKind | null>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      const value = row[key];
      const previous = kinds.get(key) ?? null;
      kinds.set(
        key,
        value === null ? previous : mergeKinds(previous, kindOf(value)),
      );
    }
  }

  // Keys that are null everywhere become VARCHAR.
  const resolved = new Map<string, ValueKind>();
  for (const [key, kind] of kinds) resolved.set(key, kind ?? "text");
  return resolved;
}

function kindOf(value: JsonValue): ValueKind {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "bigint") {
    return value >= INT64_MIN && value <= INT64_MAX ? "integer" : "number";
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? "integer" : "number";
  }
  if (Array.isArray(value) && value.every(isNumberOrNull)) return "numberList";
  return "text";
}

function isNumberOrNull(value: unknown): boolean {
  return value === null || typeof value === "number" ||
    typeof value === "bigint";
}

function mergeKinds(previous: ValueKind | null, next: ValueKind): ValueKind {
  if (previous === null || previous === next) return next;
  const numeric = (kind: ValueKind) => kind === "integer" || kind === "number";
  if (numeric(previous) && numeric(next)) return "number";
  return "text";
}

function arrowType(kind: ValueKind): DataType {
  switch (kind) {
    case "boolean":
      return new Bool();
    case "integer":
      return new Int64();
    case "number":
      return new Float64();
    case "numberList":
      return new List(new Field("item", new Float64(), true));
    case "text":
      return new Utf8();
  }
}

function buildBatch(
  schema: Schema,
  kinds: Map<string, ValueKind>,
  rows: readonly JsonRow[],
): RecordBatch {
  const children = schema.fields.map((field) => {
    const kind = kinds.get(field.name)!;
    const builder: Builder = makeBuilder({
      type: field.type,
      nullValues: [null, undefined],
    });
    for (const row of rows) builder.append(convertValue(row[field.name], kind));
    return builder.finish().flush();
  });
  const data = makeData({
    type: new Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children,
  });
  return new RecordBatch(schema, data);
}

/** Converts a parsed JSON value to what the Arrow builder of `kind` takes. */
function convertValue(value: JsonValue, kind: ValueKind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "boolean":
      return value;
    case "integer":
      return BigInt(value as number | bigint);
    case "number":
      return Number(value);
    case "numberList":
      return (value as unknown[]).map((item) =>
        item === null ? null : Number(item)
      );
    case "text":
      return typeof value === "string"
        ? value
        : JSON.stringify(value, bigintToNumberText);
  }
}

/** `JSON.rawJSON` (ES2025), which TypeScript's library does not declare yet. */
const rawJSON = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;

function bigintToNumberText(_key: string, value: unknown): unknown {
  // A raw JSON number keeps every digit of a large integer instead of rounding it.
  if (typeof value !== "bigint") return value;
  return rawJSON === undefined ? value.toString() : rawJSON(value.toString());
}

/**
 * Changes each VARCHAR column whose non-null values are all dates (or, failing
 * that, all timestamps) to DATE (or TIMESTAMP).
 */
function promoteTemporalColumns(
  session: DuckDBSession,
  tableName: string,
  columnNames: readonly string[],
): void {
  const table = quoteIdentifier(tableName);
  for (const name of columnNames) {
    const column = quoteIdentifier(name);
    // DATE casts drop a time of day, so only values without a colon count as dates.
    const counts = runQuery(
      session,
      `SELECT count(${column}) AS present, ` +
        `count(*) FILTER (WHERE TRY_CAST(${column} AS DATE) IS NOT NULL ` +
        `AND NOT contains(${column}, ':')) AS dates, ` +
        `count(TRY_CAST(${column} AS TIMESTAMP)) AS timestamps FROM ${table}`,
    ).get(0);
    const present = Number(counts?.present ?? 0);
    if (present === 0) continue;
    const type = Number(counts?.dates) === present
      ? "DATE"
      : Number(counts?.timestamps) === present
      ? "TIMESTAMP"
      : null;
    if (type === null) continue;
    runQuery(
      session,
      `ALTER TABLE ${table} ALTER COLUMN ${column} SET DATA TYPE ${type}`,
    );
  }
}
