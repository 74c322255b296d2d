/** Colours of the text, secondary text and background of each theme. */

/** Colour scheme of a chart: dark text on light, or light text on dark. */
export type Theme = "light" | "dark";

/** Colours that one theme uses outside the data marks. */
export interface ThemeColors {
  /** Headings, axes and tick labels. */
  readonly text: string;
  /** Subtitles, notes and the whole-table reference marks. */
  readonly muted: string;
  /** Fill of the background rectangle unless the chart is transparent. */
  readonly background: string;
}

/**
 * Theme colours. Text has a contrast ratio above 15:1 and muted text above
 * 6:1 against its own background.
 */
export const THEME_COLORS: Readonly<Record<Theme, ThemeColors>> = Object
  .freeze({
    light: { text: "#1f2328", muted: "#5a6270", background: "#ffffff" },
    dark: { text: "#e6edf3", muted: "#a0a8b4", background: "#0d1117" },
  });
