/** CSV into a DuckDB table through DuckDB's own CSV reader. */

import { InputError } from "../errors.ts";
import { duckdbMessage, type DuckDBSession, runQuery } from "./duckdb.ts";
import { quoteIdentifier, quoteLiteral } from "./sql.ts";

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Delimiters that the sniffer of duckdb-wasm 1.32 tries. */
const DELIMITERS = [",", "|", ";", "\t"];

/** Maximum length, in characters, of the DuckDB reason that a message keeps. */
const MAX_REASON_LENGTH = 160;

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
  const csv = normalizeLineBreaks(bytes);
  session.bindings.registerFileBuffer(internalFile, csv);
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
      describeCsvError(duckdbMessage(error), fileName, internalFile),
      { cause: error },
    );
  } finally {
    session.bindings.dropFile(internalFile);
  }
  checkSingleColumn(session, csv, tableName, fileName);
}

/**
 * Returns the CSV bytes with every CRLF and lone CR line break outside quoted
 * fields replaced by LF. The sniffer of duckdb-wasm 1.32 rejects a file that mixes
 * kinds of line break. Line breaks inside double-quoted fields keep their
 * bytes, so field values do not change. A file with one kind of line break is
 * returned as is, without a copy.
 *
 * NOTE: a double quote inside an unquoted field, such as `5"`, switches the
 * quote tracking, so line breaks up to the next quote stay as they are.
 */
export function normalizeLineBreaks(bytes: Uint8Array): Uint8Array {
  if (!hasMixedLineBreaks(bytes)) return bytes;
  const output = new Uint8Array(bytes.length);
  let length = 0;
  let quoted = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (byte === QUOTE) {
      quoted = !quoted;
    } else if (byte === CR && !quoted) {
      if (bytes[index + 1] === LF) index++;
      output[length++] = LF;
      continue;
    }
    output[length++] = byte;
  }
  return output.subarray(0, length);
}

/**
 * Checks whether the bytes contain more than one of CRLF, lone LF and lone CR.
 * It searches with `indexOf`, so a file without CR bytes costs one native scan.
 */
function hasMixedLineBreaks(bytes: Uint8Array): boolean {
  let crlf = false;
  let loneCr = false;
  for (let cr = bytes.indexOf(CR); cr !== -1; cr = bytes.indexOf(CR, cr + 1)) {
    if (bytes[cr + 1] === LF) crlf = true;
    else loneCr = true;
    if (crlf && loneCr) return true;
  }
  if (!crlf && !loneCr) return false;
  if (loneCr) return true;
  for (let lf = bytes.indexOf(LF); lf !== -1; lf = bytes.indexOf(LF, lf + 1)) {
    if (bytes[lf - 1] !== CR) return true;
  }
  return false;
}

/**
 * Rejects a table that the sniffer read as one column although its header
 * contains a delimiter. duckdb-wasm 1.32 falls back to that reading when a row has
 * more or fewer fields than the header, instead of raising an error. A
 * one-column file whose rows all match its header, such as one with a quoted
 * header `"last, first"`, is kept.
 *
 * NOTE: when the malformed row is the last one, duckdb-wasm 1.32 may instead take
 * it as the header and skip every row above it, so the load fails later with
 * "the table has no rows" and no line number.
 */
function checkSingleColumn(
  session: DuckDBSession,
  csv: Uint8Array,
  tableName: string,
  fileName: string,
): void {
  const columns = runQuery(
    session,
    `SELECT * FROM ${quoteIdentifier(tableName)} LIMIT 0`,
  ).schema.fields;
  if (columns.length !== 1) return;
  const header = columns[0]!.name;
  const delimiter = mostFrequentDelimiter(header);
  if (delimiter === null) return;
  const mismatch = findFieldCountMismatch(csv, delimiter.charCodeAt(0));
  if (mismatch === null) return;
  const delimiterName = delimiter === "\t" ? "a tab" : `"${delimiter}"`;
  const fields = mismatch.fields === 1
    ? "1 field"
    : `${mismatch.fields} fields`;
  throw new InputError(
    `failed to read CSV file "${fileName}" at line ${mismatch.line}: ` +
      `the row has ${fields} but the header has ${mismatch.expected}; ` +
      `fix that row, or quote values that contain ${delimiterName}`,
  );
}

function mostFrequentDelimiter(header: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = header.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** A row whose field count differs from the header's, with its 1-based line. */
interface FieldCountMismatch {
  line: number;
  fields: number;
  expected: number;
}

/**
 * Finds the first row whose field count differs from the header's. Fields
 * follow RFC 4180: a delimiter or line break inside double quotes belongs to
 * the field. Empty lines are skipped, as DuckDB skips them.
 */
function findFieldCountMismatch(
  csv: Uint8Array,
  delimiter: number,
): FieldCountMismatch | null {
  let expected = -1;
  let line = 1;
  let rowLine = 1;
  let fields = 1;
  let rowLength = 0;
  let quoted = false;
  for (let index = 0; index <= csv.length; index++) {
    const byte = index < csv.length ? csv[index]! : LF;
    const lineBreak = byte === LF || byte === CR;
    if (byte === CR && csv[index + 1] === LF) index++;
    if (quoted || !lineBreak) {
      if (byte === QUOTE) quoted = !quoted;
      else if (byte === delimiter && !quoted) fields++;
      if (lineBreak) line++;
      rowLength++;
      continue;
    }
    if (rowLength > 0) {
      if (expected === -1) expected = fields;
      else if (fields !== expected) return { line: rowLine, fields, expected };
    }
    line++;
    rowLine = line;
    fields = 1;
    rowLength = 0;
  }
  return null;
}

/**
 * Builds a one-line message from DuckDB's CSV error text. That text names the
 * internal file, lists `read_csv` options that users cannot set and dumps the
 * detected dialect, so the message keeps only the line number and the first
 * line of the reason, and adds what the user can do.
 */
export function describeCsvError(
  text: string,
  fileName: string,
  internalFile: string,
): string {
  if (text.includes("Error when sniffing file")) {
    return `failed to read CSV file "${fileName}": the delimiter, quote ` +
      `character or header could not be detected; check that every row has ` +
      `as many fields as the header and that every quote is closed`;
  }
  const reason = csvErrorReason(text).replaceAll(internalFile, fileName);
  const lineSize = reason.startsWith("Maximum line size");
  // In line size errors duckdb-wasm 1.32 reports a wrong line number (line 1 for
  // the third line of a test file), so that number is left out.
  const line = lineSize
    ? undefined
    : /CSV Error on Line: (\d+)/.exec(text)?.[1];
  const where = line === undefined ? "" : ` at line ${line}`;
  let hint = line === undefined
    ? "check that every row has as many fields as the header and that every quote is closed"
    : "fix that line and load the file again";
  if (/unicode|utf-8/i.test(reason)) {
    hint = "save the file as UTF-8 and load it again";
  } else if (lineSize) {
    hint = "shorten that line, or store long vectors in a Parquet file";
  }
  return `failed to read CSV file "${fileName}"${where}: ${reason}; ${hint}`;
}

/**
 * Returns the first line of DuckDB's reason for a CSV error. In "CSV Error on
 * Line" errors that reason follows the "Original Line:" line, which contains
 * the user's data and is left out.
 */
function csvErrorReason(text: string): string {
  const lines = text.split("\n").map((line) => line.trim());
  const original = lines.findIndex((line) => line.startsWith("Original Line:"));
  const candidates = original === -1 ? lines : lines.slice(original + 1);
  let reason = candidates.find((line) => line !== "") ?? "";
  reason = reason.replace(/^Invalid Input Error:\s*/, "");
  reason = reason.replace(/^CSV Error on Line: \d+\s*/, "");
  // Sentences that name a read_csv option, such as `encoding = 'utf-16'`,
  // suggest settings that users cannot pass, so they are left out.
  reason = reason.split(/(?<=\.) /)
    .filter((sentence) => !sentence.includes("="))
    .join(" ")
    .replace(/\.$/, "");
  if (reason === "") reason = "the CSV reader failed";
  if (reason.length > MAX_REASON_LENGTH) {
    reason = `${reason.slice(0, MAX_REASON_LENGTH - 3)}...`;
  }
  return reason;
}
