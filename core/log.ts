/**
 * The one logger of clusterscope. Records are single JSON lines on stderr,
 * with an event name and fields such as dataset and request ids. Callers may
 * replace the sink (tests silence it) but never log a secret through it.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

/** One structured log entry. */
export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  [field: string]: unknown;
}

export type LogSink = (record: LogRecord) => void;

const LEVELS: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};

const encoder = new TextEncoder();

function writeToStderr(record: LogRecord): void {
  Deno.stderr.writeSync(
    encoder.encode(JSON.stringify(record, replaceValue) + "\n"),
  );
}

function replaceValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}

let sink: LogSink = writeToStderr;
let threshold = LEVELS.info;

/** Replaces where records go, and returns the previous sink. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

/** Sets the lowest level that is written. */
export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

function emit(
  level: LogLevel,
  event: string,
  fields: Record<string, unknown>,
): void {
  if (LEVELS[level] < threshold) return;
  sink({ time: new Date().toISOString(), level, event, ...fields });
}

export const log = {
  debug: (event: string, fields: Record<string, unknown> = {}) =>
    emit("debug", event, fields),
  info: (event: string, fields: Record<string, unknown> = {}) =>
    emit("info", event, fields),
  warn: (event: string, fields: Record<string, unknown> = {}) =>
    emit("warn", event, fields),
  error: (event: string, fields: Record<string, unknown> = {}) =>
    emit("error", event, fields),
};
