/** Number formats and text measurement shared by the charts. */

const COUNT_FORMAT = new Intl.NumberFormat("en-US", {
  maximumFractionDigits: 0,
});

/** Formats a count with thousands separators: 200000 as "200,000". */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

/** Formats a count with the singular or plural of a noun: "1 row", "12 rows". */
export function formatQuantity(
  count: number,
  singular: string,
  plural = `${singular}s`,
): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/**
 * Formats a share in [0, 1] as a percentage with no decimals, or one decimal
 * below 10% so that small shares do not all read "0%".
 */
export function formatPercent(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 10) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

/**
 * Formats a value for display: up to 6 significant digits, without an
 * exponent between 1e-6 and 1e21.
 */
export function formatValue(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Milliseconds in a UTC day, which has no leap seconds in epoch time. */
export const DAY_MS = 86_400_000;

/** Finest unit that a formatted UTC instant shows. */
export type UtcPrecision = "day" | "minute" | "second" | "millisecond";

/** Returns the coarsest precision that shows every one of the instants exactly. */
export function utcPrecisionOf(epochMs: Iterable<number>): UtcPrecision {
  let precision: UtcPrecision = "day";
  for (const value of epochMs) {
    if (value % 1000 !== 0) return "millisecond";
    if (value % 60_000 !== 0) precision = "second";
    else if (value % DAY_MS !== 0 && precision === "day") precision = "minute";
  }
  return precision;
}

/**
 * Formats an instant in epoch milliseconds as UTC: "2025-03-01" at day
 * precision, "2025-03-01 14:30 UTC" at minute precision, and with seconds or
 * milliseconds after that. The precision defaults to the coarsest that
 * shows the instant exactly.
 */
export function formatUtc(
  epochMs: number,
  precision: UtcPrecision = utcPrecisionOf([epochMs]),
): string {
  const instant = new Date(epochMs);
  // Date covers ±8.64e15 ms; a value beyond that prints as a number.
  if (Number.isNaN(instant.getTime())) return formatValue(epochMs);
  const iso = instant.toISOString();
  const date = iso.slice(0, iso.indexOf("T"));
  const time = iso.slice(iso.indexOf("T") + 1, -1);
  switch (precision) {
    case "day":
      return date;
    case "minute":
      return `${date} ${time.slice(0, 5)} UTC`;
    case "second":
      return `${date} ${time.slice(0, 8)} UTC`;
    case "millisecond":
      return `${date} ${time} UTC`;
  }
}

/**
 * Estimates the rendered width of a text in pixels without a font engine:
 * 0.6 em per character, and 1 em for East Asian wide characters and emoji.
 * The estimate only sizes margins and truncates labels, so an error of a few
 * pixels costs nothing but a little space.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const character of text) {
    ems += character.codePointAt(0)! >= 0x2e80 ? 1 : 0.6;
  }
  return ems * fontSize;
}

/**
 * Shortens a text with a trailing ellipsis until its estimated width fits,
 * cutting between code points so no surrogate pair is split.
 */
export function truncateText(
  text: string,
  maxWidth: number,
  fontSize: number,
): string {
  if (estimateTextWidth(text, fontSize) <= maxWidth) return text;
  const characters = Array.from(text);
  const budget = maxWidth - estimateTextWidth("…", fontSize);
  let width = 0;
  let end = 0;
  while (end < characters.length) {
    const next = width + estimateTextWidth(characters[end]!, fontSize);
    if (next > budget) break;
    width = next;
    end++;
  }
  return `${characters.slice(0, end).join("").trimEnd()}…`;
}
