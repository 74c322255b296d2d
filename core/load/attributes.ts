/** Attribute columns: every column but the vector column, as typed arrays and text. */

import type { Vector } from "apache-arrow";
import type { ColumnInfo } from "./columns.ts";
import { type DuckDBSession, runQuery } from "./duckdb.ts";
import {
  isNumericType,
  isTemporalType,
  needsExactText,
  quoteIdentifier,
} from "./sql.ts";
import type { AttributeColumn } from "./types.ts";

/** One output of the attribute query and what it becomes. */
interface Selection {
  expression: string;
  read: (vector: Vector) => Float64Array | (string | null)[];
}

/**
 * Reads `columns` from `source` (a quoted table name or a subquery), in the
 * order of its rows. Numbers become doubles, with exact text for types a
 * double may round. Dates and timestamps become text plus epoch
 * milliseconds. Booleans, text and any other type become text.
 */
export function readAttributes(
  session: DuckDBSession,
  source: string,
  columns: readonly ColumnInfo[],
): AttributeColumn[] {
  if (columns.length === 0) return [];

  const selections: Selection[] = [];
  const build:
    ((outputs: (Float64Array | (string | null)[])[]) => AttributeColumn)[] = [];
  const select = (expression: string, read: Selection["read"]): number => {
    selections.push({ expression, read });
    return selections.length - 1;
  };

  for (const { name, sqlType } of columns) {
    const column = quoteIdentifier(name);
    const asText = `CAST(${column} AS VARCHAR)`;

    if (isNumericType(sqlType)) {
      const values = select(`CAST(${column} AS DOUBLE)`, readDoubles);
      const exact = needsExactText(sqlType) ? select(asText, readTexts) : -1;
      build.push((outputs) => ({
        kind: "numeric",
        name,
        sqlType,
        values: outputs[values] as Float64Array,
        ...(exact >= 0 ? { exact: outputs[exact] as (string | null)[] } : {}),
      }));
    } else if (isTemporalType(sqlType)) {
      const values = select(asText, readTexts);
      const epochMs = select(
        `CAST(epoch_ms(${column}) AS DOUBLE)`,
        readDoubles,
      );
      build.push((outputs) => ({
        kind: "temporal",
        name,
        sqlType,
        values: outputs[values] as (string | null)[],
        epochMs: outputs[epochMs] as Float64Array,
      }));
    } else if (sqlType === "BOOLEAN") {
      const values = select(asText, readTexts);
      build.push((outputs) => ({
        kind: "boolean",
        name,
        sqlType,
        values: outputs[values] as (string | null)[],
      }));
    } else {
      const values = select(asText, readTexts);
      build.push((outputs) => ({
        kind: "categorical",
        name,
        sqlType,
        values: outputs[values] as (string | null)[],
      }));
    }
  }

  const expressions = selections.map((selection, i) =>
    `${selection.expression} AS a${i}`
  );
  const result = runQuery(
    session,
    `SELECT ${expressions.join(", ")} FROM ${source}`,
  );
  const outputs = selections.map((selection, i) =>
    selection.read(result.getChildAt(i)!)
  );
  return build.map((make) => make(outputs));
}

/** Copies a DOUBLE column into a Float64Array, with NaN for null. */
function readDoubles(vector: Vector): Float64Array {
  const output = new Float64Array(vector.length);
  let offset = 0;
  for (const data of vector.data) {
    const values = data.values as Float64Array;
    output.set(values.subarray(0, data.length), offset);
    if (data.nullCount > 0) {
      for (let i = 0; i < data.length; i++) {
        if (!data.getValid(i)) output[offset + i] = NaN;
      }
    }
    offset += data.length;
  }
  return output;
}

function readTexts(vector: Vector): (string | null)[] {
  return Array.from(vector as Iterable<string | null>);
}
