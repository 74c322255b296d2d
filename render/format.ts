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
