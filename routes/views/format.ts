/** Formats a count with thousands separators (1,234). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Formats a share in [0, 1] as a percentage with one decimal. */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Formats a statistic with up to four significant digits (in exponent form past 1e15 or below 1e-4), or a dash when missing. */
export function formatStat(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);

  // Very large and very small values would print dozens of digits.
  if (magnitude >= 1e15 || (magnitude > 0 && magnitude < 1e-4)) {
    return value.toExponential(3);
  }
  if (magnitude >= 1e4) return Math.round(value).toLocaleString("en-US");
  return String(Number(value.toPrecision(4)));
}
