import { InputError, NotFoundError } from "../errors.ts";
import { log } from "../log.ts";
import { fitInWorker } from "../fit/run_in_worker.ts";
import {
  type FitParams,
  type FitParamsInput,
  resolveFitParams,
} from "../fit/params.ts";
import {
  loadBytes,
  type LoadedTable,
  loadFile,
  type LoadOptions,
} from "../load/mod.ts";
import { createSnapshot, hashParts, type Snapshot } from "./snapshot.ts";

/** Where a data set comes from and how to read and fit it. */
export interface DatasetSource {
  name: string;
  /** A file to load, or `bytes` with a file name that tells the format. */
  path?: string;
  bytes?: Uint8Array;
  fileName?: string;
  load: LoadOptions;
  fit: FitParamsInput;
}

export type DatasetStatus = "loading" | "fitting" | "ready" | "failed";

/** Names allowed in URLs: letters, digits, dot, dash and underscore. */
export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

let nextId = 1;

/** One served data set: its table, its current snapshot and its state. */
export class Dataset {
  /** Short id for logs. */
  readonly id = `ds${nextId++}`;
  readonly name: string;
  readonly source: DatasetSource;
  readonly params: FitParams;
  status: DatasetStatus = "loading";
  progress = { fraction: 0, stage: "loading" };
  error: Error | null = null;
  table: LoadedTable | null = null;
  snapshot: Snapshot | null = null;
  /** Settles once the first fit has finished or failed; never rejects. */
  readonly ready: Promise<void>;
  readonly #abort = new AbortController();

  constructor(source: DatasetSource) {
    this.name = source.name;
    this.source = source;
    this.params = resolveFitParams(source.fit);
    this.ready = this.#start();
  }

  /** Stops a running fit; the data set keeps what it had. */
  close(): void {
    this.#abort.abort(
      new DOMException(`Data set ${this.name} closed`, "AbortError"),
    );
  }

  async #start(): Promise<void> {
    const started = performance.now();
    log.info("dataset.load.start", {
      dataset: this.name,
      datasetId: this.id,
      path: this.source.path,
    });
    try {
      const table = this.source.bytes
        ? await loadBytes(
          this.source.bytes,
          this.source.fileName ?? this.name,
          this.source.load,
        )
        : await loadFile(this.source.path!, this.source.load);
      this.table = table;
      log.info("dataset.load.done", {
        dataset: this.name,
        datasetId: this.id,
        rows: table.rowCount,
        dimensions: table.vectors.dim,
        dropped: table.dropped.length,
        ms: Math.round(performance.now() - started),
      });

      this.status = "fitting";
      this.progress = { fraction: 0, stage: "neighbours" };
      const fitStarted = performance.now();
      log.info("dataset.fit.start", {
        dataset: this.name,
        datasetId: this.id,
        params: this.params,
      });
      const fit = await fitInWorker(
        table.vectors,
        this.params,
        (fraction, stage) => {
          this.progress = { fraction, stage };
        },
        this.#abort.signal,
      );
      const dataHash = await hashParts([
        new Uint8Array(
          table.vectors.data.buffer,
          table.vectors.data.byteOffset,
          table.vectors.data.byteLength,
        ),
      ]);
      this.snapshot = await createSnapshot(1, fit, this.params, dataHash);
      this.status = "ready";
      this.progress = { fraction: 1, stage: "done" };
      log.info("dataset.fit.done", {
        dataset: this.name,
        datasetId: this.id,
        clusters: fit.clusterCount,
        noise: this.snapshot.noiseCount,
        ms: Math.round(performance.now() - fitStarted),
        timings: fit.timings,
      });
    } catch (error) {
      this.status = "failed";
      this.error = error instanceof Error ? error : new Error(String(error));
      log.error("dataset.failed", {
        dataset: this.name,
        datasetId: this.id,
        error: this.error,
      });
    }
  }
}

/** The data sets a server serves, by name. */
export class DatasetRegistry {
  readonly #datasets = new Map<string, Dataset>();

  /** Starts loading and fitting a data set, and returns it at once. */
  add(source: DatasetSource): Dataset {
    if (!DATASET_NAME.test(source.name)) {
      throw new InputError(
        `Invalid data set name "${source.name}": use up to 64 letters, digits, ".", "-" or "_", starting with a letter or digit`,
        { status: 400 },
      );
    }
    if (this.#datasets.has(source.name)) {
      throw new InputError(
        `Duplicate data set name "${source.name}": give each data set its own name`,
        {
          status: 400,
        },
      );
    }
    const dataset = new Dataset(source);
    this.#datasets.set(source.name, dataset);
    return dataset;
  }

  /** Returns the named data set or throws NotFoundError. */
  get(name: string): Dataset {
    const dataset = DATASET_NAME.test(name)
      ? this.#datasets.get(name)
      : undefined;
    if (!dataset) {
      const known = [...this.#datasets.keys()].join(", ") || "none";
      throw new NotFoundError(
        `Data set "${name}" not found; served data sets: ${known}`,
      );
    }
    return dataset;
  }

  list(): Dataset[] {
    return [...this.#datasets.values()];
  }

  /** Waits until every data set has finished its first fit or failed. */
  async settled(): Promise<void> {
    await Promise.all(this.list().map((dataset) => dataset.ready));
  }

  close(): void {
    for (const dataset of this.#datasets.values()) dataset.close();
  }
}
