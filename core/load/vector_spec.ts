/** Resolution of a `VectorSpec` against the columns of a table. */

import { InputError } from "../errors.ts";
import { type ColumnInfo, listColumnNames } from "./columns.ts";
import { isNumericType, listElementType } from "./sql.ts";
import type { VectorSpec } from "./types.ts";

/** Where the vectors come from, after resolution. */
export type VectorSource =
  | {
    kind: "list";
    column: ColumnInfo;
    /** Element type of a LIST or ARRAY column, or null for JSON-array text. */
    elementType: string | null;
  }
  | { kind: "features"; columns: ColumnInfo[] };

/** Column names treated as row ids, and so never picked as features by default. */
const ID_NAMES = new Set([
  "id",
  "idx",
  "index",
  "key",
  "row",
  "rownum",
  "rowid",
  "row_id",
  "row_number",
]);

/** Names that mark the vector column when the table has no single list column. */
const VECTOR_NAMES = ["embedding", "vector"];

/**
 * Finds the vector columns that `spec` names. Without a spec the rule is:
 *
 * 1. the one column whose type is a LIST or ARRAY of numbers, if there is
 *    exactly one;
 * 2. else a column named `embedding` or `vector` (in that order, any case);
 * 3. else the one text column whose first value is a JSON array of numbers,
 *    as CSV files store embeddings, if `firstText` is given and there is
 *    exactly one;
 * 4. else every numeric column except row ids (`id`, `index`, `key`, `row`,
 *    `row_id`, `row_number` and names ending in `_id`, `_idx` or `Id`).
 *
 * Raises InputError with status 400 for a malformed spec or an unknown column,
 * and 422 when the named columns do not contain numbers.
 */
export function resolveVectorSource(
  spec: VectorSpec | undefined,
  columns: readonly ColumnInfo[],
  firstText?: (columnName: string) => string | null,
): VectorSource {
  if (spec === undefined) return chooseDefaultSource(columns, firstText);
  if ("vector" in spec) return resolveListColumn(spec.vector, columns);
  return { kind: "features", columns: resolveFeatures(spec.features, columns) };
}

/** Raises InputError (400) unless `spec` names exactly one non-empty form. */
export function validateVectorSpec(spec: unknown): void {
  if (spec === undefined) return;
  const record =
    (typeof spec === "object" && spec !== null ? spec : {}) as Record<
      string,
      unknown
    >;
  const hasVector = "vector" in record;
  const hasFeatures = "features" in record;
  if (hasVector === hasFeatures) {
    throw new InputError(
      "invalid vector spec: give either a vector column (--vector) or feature columns (--features), " +
        "not both and not neither",
      { status: 400 },
    );
  }
  const value = hasVector ? record.vector : record.features;
  const flag = hasVector ? "--vector" : "--features";
  if (typeof value !== "string" || value.trim() === "") {
    throw new InputError(
      `invalid value ${
        JSON.stringify(value)
      } for ${flag}: expected a column name`,
      { status: 400 },
    );
  }
}

/**
 * Matches text that looks like an array of at least two numbers. It also
 * takes NaN, Infinity, null and a leading "+", which the vector reader then
 * reports or reads, so one bad first value does not hide the column.
 */
const NUMBER_ARRAY = (() => {
  const value = String
    .raw`(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NaN|[-+]?Infinity|null)`;
  return new RegExp(String.raw`^\s*\[\s*${value}(?:\s*,\s*${value})+\s*\]\s*$`);
})();

function chooseDefaultSource(
  columns: readonly ColumnInfo[],
  firstText?: (columnName: string) => string | null,
): VectorSource {
  const listColumns = columns.filter((column) => isNumericList(column.sqlType));
  if (listColumns.length === 1) {
    return resolveListColumn(listColumns[0]!.name, columns);
  }

  for (const wanted of VECTOR_NAMES) {
    const named = columns.find((column) =>
      column.name.toLowerCase() === wanted
    );
    if (named !== undefined) return resolveListColumn(named.name, columns);
  }

  if (listColumns.length > 1) {
    throw new InputError(
      `cannot choose the vector column: ${listColumns.length} columns contain lists of numbers ` +
        `(${listColumnNames(listColumns)}); name one with --vector`,
      { status: 400 },
    );
  }

  if (firstText !== undefined) {
    const arrays = columns.filter((column) =>
      column.sqlType === "VARCHAR" &&
      NUMBER_ARRAY.test(firstText(column.name) ?? "")
    );
    if (arrays.length === 1) return resolveListColumn(arrays[0]!.name, columns);
    if (arrays.length > 1) {
      throw new InputError(
        `cannot choose the vector column: ${arrays.length} text columns contain JSON arrays of numbers ` +
          `(${listColumnNames(arrays)}); name one with --vector`,
        { status: 400 },
      );
    }
  }

  const features = columns.filter(
    (column) => isNumericType(column.sqlType) && !isIdName(column.name),
  );
  if (features.length === 0) {
    throw new InputError(
      "no vector column found: no list column, no column named embedding or vector, " +
        `and no numeric column; columns are: ${listColumnNames(columns)}; ` +
        "name them with --vector or --features",
    );
  }
  return { kind: "features", columns: features };
}

function resolveListColumn(
  name: string,
  columns: readonly ColumnInfo[],
): VectorSource {
  const column = findColumn(name, columns, "--vector");
  if (column.sqlType === "VARCHAR") {
    return { kind: "list", column, elementType: null };
  }

  const elementType = listElementType(column.sqlType);
  if (elementType !== null && isNumericType(elementType)) {
    return { kind: "list", column, elementType };
  }

  const hint = isNumericType(column.sqlType)
    ? "; for numeric columns, one per dimension, use --features"
    : "";
  throw new InputError(
    `vector column "${column.name}" has type ${column.sqlType}, which is not a list of numbers` +
      hint,
  );
}

/**
 * Resolves the `features` forms, tried in this order: an exact column name, a
 * prefix glob `p*`, a range `p0..p63`, and a comma-separated list.
 */
function resolveFeatures(
  text: string,
  columns: readonly ColumnInfo[],
): ColumnInfo[] {
  const exact = columns.find((column) => column.name === text);
  const features = exact !== undefined
    ? [exact]
    : text.endsWith("*")
    ? resolveGlob(text, columns)
    : text.includes("..")
    ? resolveRange(text, columns)
    : resolveNameList(text, columns);

  for (const column of features) {
    if (!isNumericType(column.sqlType)) {
      throw new InputError(
        `feature column "${column.name}" has type ${column.sqlType}; features must be numeric columns`,
      );
    }
  }
  return features;
}

function resolveGlob(
  text: string,
  columns: readonly ColumnInfo[],
): ColumnInfo[] {
  const prefix = text.slice(0, -1);
  const matches: { column: ColumnInfo; index: number }[] = [];
  for (const column of columns) {
    if (!column.name.startsWith(prefix)) continue;
    const suffix = column.name.slice(prefix.length);
    if (/^\d+$/.test(suffix)) matches.push({ column, index: Number(suffix) });
  }
  if (matches.length === 0) {
    throw new InputError(
      `no column matches "${text}" for --features (the prefix "${prefix}" followed by digits); ` +
        `columns are: ${listColumnNames(columns)}`,
      { status: 400 },
    );
  }
  matches.sort((a, b) => a.index - b.index);
  return matches.map((match) => match.column);
}

/** Resolves `p0..p63`, or `p0..63`. A zero-padded start such as `p00` pads every name. */
function resolveRange(
  text: string,
  columns: readonly ColumnInfo[],
): ColumnInfo[] {
  const match = /^(.*?)(\d+)\.\.(.*?)(\d+)$/.exec(text);
  const prefix = match?.[1] ?? "";
  const endPrefix = match?.[3] ?? "";
  if (match === null || (endPrefix !== "" && endPrefix !== prefix)) {
    throw new InputError(
      `invalid range "${text}" for --features: expected a prefix and two integers, such as p0..p63`,
      { status: 400 },
    );
  }
  const startText = match[2]!;
  const start = Number(startText);
  const end = Number(match[4]);
  if (end < start) {
    throw new InputError(
      `invalid range "${text}" for --features: the end ${end} is below the start ${start}`,
      { status: 400 },
    );
  }

  if (end - start + 1 > columns.length) {
    throw new InputError(
      `invalid range "${text}" for --features: it names ${
        end - start + 1
      } columns ` +
        `but the table has ${columns.length}`,
      { status: 400 },
    );
  }

  const width = startText.length > 1 && startText.startsWith("0")
    ? startText.length
    : 0;
  const names: string[] = [];
  for (let i = start; i <= end; i++) {
    names.push(prefix + String(i).padStart(width, "0"));
  }
  return names.map((name) => findColumn(name, columns, "--features"));
}

function resolveNameList(
  text: string,
  columns: readonly ColumnInfo[],
): ColumnInfo[] {
  const names = text.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new InputError(
      `invalid list "${text}" for --features: it has an empty name; separate names with single commas`,
      { status: 400 },
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new InputError(
        `invalid list "${text}" for --features: "${name}" appears twice`,
        { status: 400 },
      );
    }
    seen.add(name);
  }
  return names.map((name) => findColumn(name, columns, "--features"));
}

function findColumn(
  name: string,
  columns: readonly ColumnInfo[],
  flag: string,
): ColumnInfo {
  const column = columns.find((candidate) => candidate.name === name);
  if (column !== undefined) return column;

  const suggestion = closestName(name, columns);
  const hint = suggestion === undefined
    ? ""
    : ` (did you mean "${suggestion}"?)`;
  throw new InputError(
    `unknown column "${name}" for ${flag}${hint}; columns are: ${
      listColumnNames(columns)
    }`,
    { status: 400 },
  );
}

/** Tests whether a name reads as a row id: one of `ID_NAMES`, or a `_id`, `_idx` or camel-case `Id` suffix. */
function isIdName(name: string): boolean {
  return ID_NAMES.has(name.toLowerCase()) || /_idx?$/i.test(name) ||
    /[a-z0-9]Id$/.test(name);
}

function isNumericList(sqlType: string): boolean {
  const elementType = listElementType(sqlType);
  return elementType !== null && isNumericType(elementType);
}

/** Returns the column name within edit distance 2 of `name`, ignoring case, if one is. */
function closestName(
  name: string,
  columns: readonly ColumnInfo[],
): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const column of columns) {
    const distance = editDistance(
      name.toLowerCase(),
      column.name.toLowerCase(),
    );
    if (distance < bestDistance) {
      best = column.name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with one rolling row. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}
