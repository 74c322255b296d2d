import { InputError } from "../core/errors.ts";

/** Parsing rule of one query parameter. */
export type QuerySpec =
  | { kind: "integer"; min: number; max: number; default?: number }
  | { kind: "enum"; values: readonly string[]; default?: string }
  | { kind: "string"; default?: string };

type Parsed<S extends Record<string, QuerySpec>> = {
  [K in keyof S]: S[K] extends { kind: "integer" } ? number | undefined
    : string | undefined;
};

/**
 * Reads the query parameters that `specs` allows and rejects the rest, so a
 * typo such as `?widht=400` is a 400 that names it rather than being ignored.
 */
export function parseQuery<S extends Record<string, QuerySpec>>(
  query: Record<string, string>,
  specs: S,
): Parsed<S> {
  for (const key of Object.keys(query)) {
    if (!(key in specs)) {
      const allowed = Object.keys(specs).join(", ") || "none";
      throw new InputError(
        `Unknown query parameter "${key}"; allowed: ${allowed}`,
        { status: 400 },
      );
    }
  }
  const result: Record<string, number | string | undefined> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const raw = query[key];
    if (raw === undefined || raw === "") {
      result[key] = spec.default;
      continue;
    }
    if (spec.kind === "integer") {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw) || value < spec.min || value > spec.max) {
        throw new InputError(
          `Invalid ${key} "${raw}": use an integer from ${spec.min} to ${spec.max}`,
          { status: 400 },
        );
      }
      result[key] = value;
    } else if (spec.kind === "enum") {
      if (!spec.values.includes(raw)) {
        throw new InputError(
          `Invalid ${key} "${raw}": use one of ${spec.values.join(", ")}`,
          { status: 400 },
        );
      }
      result[key] = raw;
    } else {
      result[key] = raw;
    }
  }
  return result as Parsed<S>;
}

/** Parses a cluster label from a URL: an integer >= -1, or "noise" for -1. */
export function parseLabel(raw: string): number {
  if (raw === "noise") return -1;
  if (!/^-?\d{1,9}$/.test(raw) || Number(raw) < -1) {
    throw new InputError(
      `Invalid cluster "${raw}": use a cluster number such as 0, or -1 or "noise" for noise`,
      {
        status: 400,
      },
    );
  }
  return Number(raw);
}
