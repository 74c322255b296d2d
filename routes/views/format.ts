/** Formats a count with thousands separators (1,234). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Formats a share in [0, 1] as a percentage with one decimal. */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Formats a statistic with up to four significant digits, or a dash when missing. */
export function formatStat(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "–";
  return Math.abs(value) >= 1e4
    ? Math.round(value).toLocaleString("en-US")
    : String(Number(value.toPrecision(4)));
}
