import type { Dataset } from "../dataset/dataset.ts";
import { log } from "../log.ts";
import type { TableFormat } from "../load/mod.ts";

/** Sources of new rows for a data set. */
export interface WatchOptions {
  /** A CSV or NDJSON file whose new lines are appended as it grows. */
  file?: string;
  /** A folder whose new files (CSV, NDJSON, Arrow, Parquet) are appended whole. */
  folder?: string;
  /** Polling interval in milliseconds. */
  intervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 1000;

const EXTENSIONS: Record<string, TableFormat> = {
  csv: "csv",
  tsv: "csv",
  ndjson: "ndjson",
  jsonl: "ndjson",
  arrow: "arrow",
  arrows: "arrow",
  ipc: "arrow",
  feather: "arrow",
  parquet: "parquet",
};

/**
 * Appends rows to a data set as a watched file grows or new files appear in a
 * watched folder. It polls file sizes rather than relying on file system
 * events, which editors and network drives report unreliably. A new file is
 * read once its size is the same on two polls in a row, so a file still being
 * written is not read half-way. A batch that fails to load is logged and
 * skipped, and the watcher goes on.
 */
export class FileWatcher {
  readonly #dataset: Dataset;
  readonly #options: WatchOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;
  #stopped = false;
  #offset = 0;
  #header: Uint8Array | null = null;
  readonly #known = new Map<string, number>();
  readonly #pending = new Map<string, number>();
  /** Files that failed to load, with the size they had then. */
  readonly #failed = new Map<string, number>();

  constructor(dataset: Dataset, options: WatchOptions) {
    this.#dataset = dataset;
    this.#options = options;
  }

  /** Starts watching once the data set's first fit is done. */
  async start(): Promise<void> {
    await this.#dataset.ready;
    if (
      this.#stopped || this.#dataset.status !== "ready" || this.#dataset.closed
    ) return;
    const { file, folder } = this.#options;
    if (file) {
      // Rows written while the first load and fit ran come after the bytes
      // that load read, so the watcher starts there, not at today's size.
      this.#offset = this.#dataset.loadedBytes ??
        (await Deno.stat(file)).size;
      if (formatOf(file) === "csv") this.#header = await readHeader(file);
    }
    if (folder) {
      for await (const entry of Deno.readDir(folder)) {
        if (entry.isFile) this.#known.set(entry.name, -1);
      }
    }
    log.info("watch.start", {
      dataset: this.#dataset.name,
      datasetId: this.#dataset.id,
      file,
      folder,
    });
    this.#timer = setInterval(
      () => void this.poll(),
      this.#options.intervalMs ?? DEFAULT_INTERVAL_MS,
    );
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Looks once for new rows; the timer calls it, and tests may call it directly. */
  async poll(): Promise<void> {
    if (this.#busy || this.#dataset.closed) return;
    this.#busy = true;
    try {
      if (this.#options.file) await this.#pollFile(this.#options.file);
      if (this.#options.folder) await this.#pollFolder(this.#options.folder);
    } finally {
      this.#busy = false;
    }
  }

  async #pollFile(path: string): Promise<void> {
    const format = formatOf(path);
    if (format !== "csv" && format !== "ndjson") {
      log.warn("watch.unsupported", {
        dataset: this.#dataset.name,
        path,
        reason: "only CSV and NDJSON files can grow",
      });
      this.stop();
      return;
    }
    const { size } = await Deno.stat(path);
    if (size < this.#offset) {
      // A shorter file was replaced (rotated or rewritten): all its rows are new.
      log.warn("watch.replaced", {
        dataset: this.#dataset.name,
        path,
        size,
        offset: this.#offset,
      });
      if (this.#header) this.#header = await readHeader(path);
      this.#offset = this.#header ? this.#header.length : 0;
      if (size <= this.#offset) return;
    }
    if (size === this.#offset) return;

    // Read the new bytes up to the last complete line.
    const bytes = await readRange(path, this.#offset, size);
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end === 0) return;
    const lines = bytes.subarray(0, end);
    this.#offset += end;
    const body = this.#header ? concat(this.#header, lines) : lines;
    await this.#append(body, format, path);
  }

  async #pollFolder(folder: string): Promise<void> {
    for await (const entry of Deno.readDir(folder)) {
      if (!entry.isFile || this.#known.has(entry.name)) continue;
      const path = `${folder.replace(/\/$/, "")}/${entry.name}`;
      const format = formatOf(entry.name);
      if (!format) {
        this.#known.set(entry.name, -1);
        log.warn("watch.skipped", {
          dataset: this.#dataset.name,
          path,
          reason: "unknown file extension",
        });
        continue;
      }
      const { size } = await Deno.stat(path);
      if (this.#failed.get(entry.name) === size) continue;
      if (this.#pending.get(entry.name) !== size) {
        this.#pending.set(entry.name, size);
        continue;
      }
      this.#pending.delete(entry.name);
      const appended = await this.#append(
        await Deno.readFile(path),
        format,
        path,
      );

      // A file that failed is tried again if it changes, for example a header written before its rows.
      if (appended) this.#known.set(entry.name, size);
      else this.#failed.set(entry.name, size);
    }
  }

  /** Appends one batch and returns whether it was taken. */
  async #append(
    bytes: Uint8Array,
    format: TableFormat,
    path: string,
  ): Promise<boolean> {
    try {
      const result = await this.#dataset.append(bytes, format, `watch:${path}`);
      log.info("watch.appended", {
        dataset: this.#dataset.name,
        datasetId: this.#dataset.id,
        path,
        rows: result.added.length,
      });
      return true;
    } catch (error) {
      log.error("watch.append.failed", {
        dataset: this.#dataset.name,
        datasetId: this.#dataset.id,
        path,
        error,
      });
      return false;
    }
  }
}

function formatOf(path: string): TableFormat | undefined {
  const extension = path.split(".").pop()?.toLowerCase() ?? "";
  return EXTENSIONS[extension];
}

async function readHeader(path: string): Promise<Uint8Array> {
  const file = await Deno.open(path);
  try {
    const buffer = new Uint8Array(64 * 1024);
    const read = (await file.read(buffer)) ?? 0;
    const end = buffer.subarray(0, read).indexOf(0x0a);
    return buffer.slice(0, end < 0 ? read : end + 1);
  } finally {
    file.close();
  }
}

async function readRange(
  path: string,
  start: number,
  end: number,
): Promise<Uint8Array> {
  const file = await Deno.open(path);
  try {
    await file.seek(start, Deno.SeekMode.Start);
    const buffer = new Uint8Array(end - start);
    let filled = 0;
    while (filled < buffer.length) {
      const read = await file.read(buffer.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    file.close();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const result = new Uint8Array(a.length + b.length);
  result.set(a);
  result.set(b, a.length);
  return result;
}
