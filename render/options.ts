/** Options that every chart accepts, and their validation. */

import { type Theme, THEME_COLORS, type ThemeColors } from "./theme.ts";

/** Options shared by all charts. */
export interface ChartOptions {
  /** Width in pixels, an integer from 200 to 4000. Defaults to 640. */
  readonly width?: number;
  /** Height in pixels, an integer from 160 to 4000. Defaults to 400. */
  readonly height?: number;
  /** Heading drawn at the top and read by screen readers. Each chart has a default. */
  readonly title?: string;
  /** Text of the `<desc>` element. Defaults to a summary generated from the data. */
  readonly description?: string;
  /** Text and background colours. Defaults to "light". */
  readonly theme?: Theme;
  /** Leaves out the background rectangle so the page shows through. Defaults to false. */
  readonly transparent?: boolean;
}

/** Chart options after defaults and validation. */
export interface ResolvedChart {
  /** Name of the chart in error messages, such as "scatter". */
  readonly kind: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly description: string | undefined;
  readonly colors: ThemeColors;
  readonly transparent: boolean;
}

/** Width of a chart, in pixels, when the options give none. */
export const DEFAULT_WIDTH = 640;
/** Height of a chart, in pixels, when the options give none. */
export const DEFAULT_HEIGHT = 400;
const MIN_WIDTH = 200;
const MIN_HEIGHT = 160;
const MAX_SIZE = 4000;

/**
 * Applies defaults to the shared options and checks them.
 *
 * @throws {RangeError} when the width, height or theme is invalid.
 */
export function resolveChartOptions(
  kind: string,
  options: ChartOptions,
  defaultTitle: string,
): ResolvedChart {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  requireIntegerInRange(kind, "width", width, MIN_WIDTH, MAX_SIZE);
  requireIntegerInRange(kind, "height", height, MIN_HEIGHT, MAX_SIZE);

  const theme = options.theme ?? "light";
  if (!Object.hasOwn(THEME_COLORS, theme)) {
    throw new RangeError(
      `Cannot render the ${kind} chart: theme ${
        JSON.stringify(theme)
      } is invalid; expected "light" or "dark".`,
    );
  }

  return {
    kind,
    width,
    height,
    title: options.title ?? defaultTitle,
    description: options.description,
    colors: THEME_COLORS[theme],
    transparent: options.transparent ?? false,
  };
}

/**
 * Checks that a number option is an integer within bounds.
 *
 * @throws {RangeError} naming the chart, the option and the value.
 */
export function requireIntegerInRange(
  kind: string,
  name: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Cannot render the ${kind} chart: ${name} ${value} is invalid; expected an integer from ${min} to ${max}.`,
    );
  }
}

/**
 * Checks that a per-row array has the row count of the first column.
 *
 * @throws {RangeError} naming both arrays and their lengths.
 */
export function requireSameLength(
  kind: string,
  name: string,
  length: number,
  referenceName: string,
  referenceLength: number,
): void {
  if (length !== referenceLength) {
    throw new RangeError(
      `Cannot render the ${kind} chart: ${name} has ${length} entries but ${referenceName} has ${referenceLength}; pass one entry per row.`,
    );
  }
}
