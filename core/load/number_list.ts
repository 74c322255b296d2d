/**
 * Parser for vectors written as text, as CSV files store them: `[0.1,0.2]`.
 * It accepts JSON number arrays plus `null`, and the NaN and infinity spellings
 * that Python and NumPy write (`NaN`, `nan`, `Infinity`, `inf`), so that such
 * values reach the invalid-value check instead of failing as non-numeric.
 */

/** One parsed list: its numbers, with NaN in place of each null that `nulls` lists. */
export interface ParsedList {
  values: number[];
  /** Positions of `null` items. */
  nulls: number[];
}

/** Why a text is not a list of numbers: the offending item, or the whole text. */
export interface ListSyntaxError {
  item: string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL_VALUES: Record<string, number> = {
  nan: NaN,
  "+nan": NaN,
  "-nan": NaN,
  inf: Infinity,
  "+inf": Infinity,
  "-inf": -Infinity,
  infinity: Infinity,
  "+infinity": Infinity,
  "-infinity": -Infinity,
};

/** Parses `[1, 2.5, null, NaN]`, or returns the item that is not a number. */
export function parseNumberList(text: string): ParsedList | ListSyntaxError {
  const trimmed = text.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) return { item: text };

  const body = trimmed.slice(1, -1).trim();
  const values: number[] = [];
  const nulls: number[] = [];
  if (body === "") return { values, nulls };

  for (const part of body.split(",")) {
    const item = part.trim();
    if (item === "null") {
      nulls.push(values.length);
      values.push(NaN);
      continue;
    }
    const value = parseNumber(item);
    if (value === undefined) return { item };
    values.push(value);
  }
  return { values, nulls };
}

function parseNumber(item: string): number | undefined {
  if (NUMBER.test(item)) return Number(item);
  return SPECIAL_VALUES[item.toLowerCase()];
}
