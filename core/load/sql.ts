/**
 * Quoting and DuckDB type names. Column names come from user files, so every
 * identifier that reaches SQL text goes through `quoteIdentifier`.
 */

/** Quotes a DuckDB identifier, doubling any `"` inside it. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a DuckDB string literal, doubling any `'` inside it. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const NUMERIC_TYPES = new Set([
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "HUGEINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
  "UHUGEINT",
  "FLOAT",
  "DOUBLE",
]);

/** Integer types whose values a double may round. */
const WIDE_INTEGER_TYPES = new Set([
  "BIGINT",
  "HUGEINT",
  "UBIGINT",
  "UHUGEINT",
]);

const TEMPORAL_TYPES = new Set([
  "DATE",
  "TIMESTAMP",
  "TIMESTAMP_S",
  "TIMESTAMP_MS",
  "TIMESTAMP_NS",
  "TIMESTAMP WITH TIME ZONE",
]);

const DECIMAL = /^DECIMAL\(\d+,\d+\)$/;

/** A LIST type such as `FLOAT[]` or an ARRAY type such as `FLOAT[32]`. */
const LIST = /^(.+)\[(\d*)\]$/;

/** Tests whether a DuckDB type is a scalar number type, DECIMAL included. */
export function isNumericType(sqlType: string): boolean {
  return NUMERIC_TYPES.has(sqlType) || DECIMAL.test(sqlType);
}

/** Tests whether doubles may round values of this type, so exact text is kept too. */
export function needsExactText(sqlType: string): boolean {
  return WIDE_INTEGER_TYPES.has(sqlType) || DECIMAL.test(sqlType);
}

/** Tests whether a DuckDB type is a DATE or TIMESTAMP type. */
export function isTemporalType(sqlType: string): boolean {
  return TEMPORAL_TYPES.has(sqlType);
}

/** Returns the element type of a LIST or ARRAY type, or null for other types. */
export function listElementType(sqlType: string): string | null {
  return LIST.exec(sqlType)?.[1] ?? null;
}
