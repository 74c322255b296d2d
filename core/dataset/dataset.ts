import { ConflictError, InputError, NotReadyError } from "../errors.ts";
import { log } from "../log.ts";
import { fitInWorker } from "../fit/run_in_worker.ts";
import {
  type FitParams,
  type FitParamsInput,
  resolveFitParams,
} from "../fit/params.ts";
import type { FitResult } from "../fit/pipeline.ts";
import {
  loadBytes,
  loadFile,
  type LoadOptions,
  type TableFormat,
  type VectorSpec,
} from "../load/mod.ts";
import { EventHub } from "../stream/events.ts";
import type { WatchOptions } from "../stream/file_watch.ts";
import { createFittedModel, type FittedModel } from "../stream/fitted_model.ts";
import { Placer } from "../stream/placer.ts";
import { type IdMapping, matchClusters } from "../stream/match_clusters.ts";
import { appendToStore, type RowStore, storeFromTable } from "./row_store.ts";
import {
  bytesOf,
  createSnapshot,
  hashParts,
  type Snapshot,
} from "./snapshot.ts";

/** Origin of a data set and the options to read and fit it. */
export interface DatasetSource {
  name: string;
  /** A file to load, or `bytes` with a file name that gives the format. */
  path?: string;
  bytes?: Uint8Array;
  fileName?: string;
  load: LoadOptions;
  fit: FitParamsInput;
  /** When to refit on its own; defaults in {@link DEFAULT_DRIFT}. */
  drift?: Partial<DriftPolicy>;
  /** A growing file or a folder of new files to append from. */
  watch?: WatchOptions;
}

/** When appended rows make the model stale enough to refit in the background. */
export interface DriftPolicy {
  /** Refit once rows appended since the fit reach this share of the fit's rows. */
  newRowShare: number;
  /** Refit once this share of the rows appended since the fit (at least min_cluster_size of them) landed in noise, beyond the fit's own noise share. */
  newNoiseShare: number;
}

export const DEFAULT_DRIFT: DriftPolicy = {
  newRowShare: 0.25,
  newNoiseShare: 0.3,
};

export type DatasetStatus = "loading" | "fitting" | "ready" | "failed";

/** One refit in the history: when, why, and what happened to the cluster ids. */
export interface RefitRecord {
  modelVersion: number;
  snapshotVersion: number;
  finishedAt: string;
  reason: string;
  rows: number;
  clusters: number;
  mappings: IdMapping[];
}

/** The assignments of appended rows, as the append request returns them. */
export interface AppendResult {
  version: number;
  rows: number;
  added: {
    row: number;
    label: number;
    probability: number;
    outlier_score: number;
    x: number | null;
    y: number | null;
  }[];
}

let nextId = 1;

/**
 * One served data set: its rows, its current snapshot, the model that places
 * appended rows, and its refits. Appends and the publication of refits run one
 * at a time, so every acknowledged row is in every later snapshot exactly
 * once. Reads never wait: they take the current snapshot.
 */
export class Dataset {
  /** Short id for logs. */
  readonly id = `ds${nextId++}`;
  readonly name: string;
  readonly source: DatasetSource;
  readonly params: FitParams;
  readonly drift: DriftPolicy;
  readonly events = new EventHub();
  readonly history: RefitRecord[] = [];
  status: DatasetStatus = "loading";
  progress = { fraction: 0, stage: "loading" };
  error: Error | null = null;
  store: RowStore | null = null;
  /**
   * Bytes of the file that the first load read, so a watcher appends what
   * came after them, even when the file grew during the first fit.
   */
  loadedBytes: number | undefined;
  snapshot: Snapshot | null = null;
  model: FittedModel | null = null;
  /** Reason of the refit in progress, or null. */
  refitting: string | null = null;
  /** Settles once the first fit has finished or failed; never rejects. */
  readonly ready: Promise<void>;

  readonly #abort = new AbortController();
  readonly #placer = new Placer();
  #queue: Promise<unknown> = Promise.resolve();
  #dataHash = "";
  #appendSpec: VectorSpec | undefined;
  #nextStableId = 0;
  #pendingRefit: string | null = null;
  #rowsSinceFit = 0;
  #noiseSinceFit = 0;
  #lastTimings: FitResult["timings"] = { knn: 0, hdbscan: 0, umap: 0 };

  constructor(source: DatasetSource) {
    this.name = source.name;
    this.source = source;
    this.params = resolveFitParams(source.fit);
    this.drift = { ...DEFAULT_DRIFT, ...source.drift };
    this.ready = this.#start();
  }

  /** Stops a running fit; the data set keeps what it had. */
  close(): void {
    this.#abort.abort(
      new DOMException(`Data set ${this.name} closed`, "AbortError"),
    );
    this.#placer.close();
  }

  get closed(): boolean {
    return this.#abort.signal.aborted;
  }

  /**
   * Appends rows given as CSV, NDJSON or an Arrow IPC stream with the data
   * set's columns, places them into the current model, publishes a snapshot
   * and returns their assignments. Bad rows reject the whole batch and leave
   * the data set unchanged.
   */
  append(
    bytes: Uint8Array,
    format: TableFormat,
    requestId?: string,
  ): Promise<AppendResult> {
    return this.#exclusive(async () => {
      const { store, snapshot, model } = this;
      if (!store || !snapshot || !model) {
        throw this.#notFittedError(
          "take appended rows",
          `Data set "${this.name}" is not ready for appends yet (${this.status}); retry after its first fit`,
        );
      }
      const batch = await loadAppendedRows(bytes, format, this.#appendSpec);
      const next = appendToStore(store, batch);
      const placed = await this.#placer.place(
        batch.vectors,
        this.params.umap.seed + snapshot.version,
      );

      // The new snapshot: old rows unchanged, new rows after them.
      const rows = snapshot.rowCount + batch.rowCount;
      const labels = new Int32Array(rows);
      labels.set(snapshot.labels);
      labels.set(placed.labels, snapshot.rowCount);
      const probabilities = new Float64Array(rows);
      probabilities.set(snapshot.probabilities);
      probabilities.set(placed.probabilities, snapshot.rowCount);
      const outlierScores = new Float64Array(rows);
      outlierScores.set(snapshot.outlierScores);
      outlierScores.set(placed.outlierScores, snapshot.rowCount);
      let layout: Float32Array | null = null;
      if (snapshot.layout && placed.positions) {
        layout = new Float32Array(rows * 2);
        layout.set(snapshot.layout);
        layout.set(placed.positions, snapshot.rowCount * 2);
      }
      this.#dataHash = await hashParts([
        this.#dataHash,
        bytesOf(batch.vectors.data),
      ]);
      const published = await createSnapshot(
        snapshot.version + 1,
        snapshot.modelVersion,
        { labels, probabilities, outlierScores, layout },
        this.params,
        this.#dataHash,
        this.#lastTimings,
      );
      this.store = next;
      this.snapshot = published;

      // Drift bookkeeping, then the event and the response.
      this.#rowsSinceFit += batch.rowCount;
      for (let i = 0; i < placed.labels.length; i++) {
        if (placed.labels[i]! < 0) this.#noiseSinceFit++;
      }
      const firstRow = store.rowCount;
      log.info("dataset.append", {
        dataset: this.name,
        datasetId: this.id,
        requestId,
        rows: batch.rowCount,
        total: rows,
        version: published.version,
      });
      this.events.publish("rows", {
        added: batch.rowCount,
        total: rows,
        version: published.version,
      });
      this.#checkDrift();

      return {
        version: published.version,
        rows,
        added: Array.from({ length: batch.rowCount }, (_, i) => ({
          row: next.inputRows[firstRow + i]!,
          label: placed.labels[i]!,
          probability: placed.probabilities[i]!,
          outlier_score: placed.outlierScores[i]!,
          x: placed.positions ? placed.positions[i * 2]! : null,
          y: placed.positions ? placed.positions[i * 2 + 1]! : null,
        })),
      };
    });
  }

  /**
   * Starts a refit in the background unless one is running, in which case
   * one more runs after it. Returns at once.
   */
  requestRefit(reason: string): { queued: boolean } {
    if (!this.snapshot) {
      throw this.#notFittedError(
        "refit",
        `Data set "${this.name}" is still on its first fit; a refit can follow once it is ready`,
      );
    }
    if (this.refitting) {
      this.#pendingRefit = reason;
      return { queued: true };
    }
    void this.#refit(reason);
    return { queued: false };
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
      this.store = storeFromTable(table);
      this.loadedBytes = table.byteLength;
      this.#appendSpec = this.source.load.vectorSpec ?? inferSpec(this.store);
      this.#dataHash = await hashParts([bytesOf(table.vectors.data)]);
      log.info("dataset.load.done", {
        dataset: this.name,
        datasetId: this.id,
        rows: table.rowCount,
        dimensions: table.vectors.dim,
        dropped: table.dropped.length,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.status = "fitting";
    this.progress = { fraction: 0, stage: "neighbours" };
    await this.#refit("initial fit");
  }

  async #refit(reason: string): Promise<void> {
    const store = this.store!;
    const before = this.snapshot;
    this.refitting = reason;
    const started = performance.now();
    log.info("dataset.refit.start", {
      dataset: this.name,
      datasetId: this.id,
      reason,
      rows: store.rowCount,
    });
    this.events.publish("refit-started", { reason, rows: store.rowCount });
    let lastEvent = 0;
    try {
      const fit = await fitInWorker(store.vectors, this.params, {
        signal: this.#abort.signal,
        initialLayout: before?.layout
          ? before.layout.slice(0, store.rowCount * 2)
          : undefined,
        onProgress: (fraction, stage) => {
          this.progress = { fraction, stage };
          if (performance.now() - lastEvent > 500) {
            lastEvent = performance.now();
            this.events.publish("refit-progress", { fraction, stage });
          }
        },
      });
      await this.#exclusive(() =>
        this.#publishFit(fit, store, before, reason, started)
      );
    } catch (error) {
      if (this.closed) return;
      if (!this.snapshot) {
        this.#fail(error);
      } else {
        log.error("dataset.refit.failed", {
          dataset: this.name,
          datasetId: this.id,
          reason,
          error,
        });
        this.events.publish("refit-failed", {
          reason,
          error: (error as Error).message,
        });
      }
    } finally {
      this.refitting = null;
      const pending = this.#pendingRefit;
      this.#pendingRefit = null;
      if (pending && !this.closed && this.snapshot) void this.#refit(pending);
    }
  }

  /** Publishes a finished fit: stable ids, rows appended meanwhile placed into it, history and events. */
  async #publishFit(
    fit: FitResult,
    fitted: RowStore,
    before: Snapshot | null,
    reason: string,
    started: number,
  ): Promise<void> {
    const oldIds = before
      ? before.labels.subarray(0, fitted.rowCount)
      : new Int32Array(0);
    const match = matchClusters(
      oldIds,
      fit.labels,
      fit.clusterCount,
      this.#nextStableId,
    );
    this.#nextStableId = match.nextId;
    const model = createFittedModel(
      fit,
      fitted.vectors,
      this.params,
      match.stableIds,
    );
    this.#placer.setModel(model);

    // Rows of the fit, then rows appended while it ran, placed into the new model.
    const current = this.store!;
    const rows = current.rowCount;
    const labels = new Int32Array(rows);
    for (let i = 0; i < fit.n; i++) {
      labels[i] = fit.labels[i]! >= 0 ? match.stableIds[fit.labels[i]!]! : -1;
    }
    const probabilities = new Float64Array(rows);
    probabilities.set(fit.probabilities);
    const outlierScores = new Float64Array(rows);
    outlierScores.set(fit.outlierScores);
    let layout: Float32Array | null = null;
    if (fit.layout) {
      layout = new Float32Array(rows * 2);
      layout.set(fit.layout);
    }
    const late = rows - fit.n;
    if (late > 0) {
      const { dim } = current.vectors;
      const vectors = {
        data: current.vectors.data.subarray(fit.n * dim, rows * dim),
        n: late,
        dim,
      };
      const placed = await this.#placer.place(vectors, this.params.umap.seed);
      labels.set(placed.labels, fit.n);
      probabilities.set(placed.probabilities, fit.n);
      outlierScores.set(placed.outlierScores, fit.n);
      if (layout && placed.positions) layout.set(placed.positions, fit.n * 2);
    }

    this.#lastTimings = fit.timings;
    const modelVersion = (before?.modelVersion ?? 0) + 1;
    const snapshot = await createSnapshot(
      (this.snapshot?.version ?? 0) + 1,
      modelVersion,
      { labels, probabilities, outlierScores, layout },
      this.params,
      this.#dataHash,
      fit.timings,
    );
    this.model = model;
    this.snapshot = snapshot;
    this.status = "ready";
    this.progress = { fraction: 1, stage: "done" };
    this.#rowsSinceFit = late;
    this.#noiseSinceFit = 0;
    for (let i = fit.n; i < rows; i++) {
      if (labels[i]! < 0) this.#noiseSinceFit++;
    }

    const record: RefitRecord = {
      modelVersion,
      snapshotVersion: snapshot.version,
      finishedAt: new Date().toISOString(),
      reason,
      rows: fit.n,
      clusters: fit.clusterCount,
      mappings: match.mappings,
    };
    this.history.push(record);
    const changed = match.mappings.filter((mapping) => mapping.kind !== "kept");
    log.info("dataset.refit.done", {
      dataset: this.name,
      datasetId: this.id,
      reason,
      rows: fit.n,
      placedAfter: late,
      clusters: fit.clusterCount,
      noise: snapshot.noiseCount,
      ms: Math.round(performance.now() - started),
      timings: fit.timings,
      idChanges: changed,
    });
    if (fit.clusterCount === 0 && fit.n > 0) {
      const { minClusterSize } = this.params.hdbscan;
      log.warn("dataset.all_noise", {
        dataset: this.name,
        datasetId: this.id,
        rows: fit.n,
        minClusterSize,
        minSamples: fit.model.minSamples,
        hint: fit.model.minSamples > minClusterSize
          ? "every row is noise; lower min_samples, or allow a single cluster"
          : "every row is noise; lower min_cluster_size, or allow a single cluster",
      });
    }
    this.events.publish("refit-finished", {
      reason,
      version: snapshot.version,
      modelVersion,
      clusters: fit.clusterCount,
      rows,
    });
    this.events.publish("ids-mapped", {
      modelVersion,
      mappings: match.mappings,
    });
  }

  #checkDrift(): void {
    const model = this.model;
    if (!model || this.refitting) return;
    const base = Math.max(1, model.rowCount);
    const minimum = this.params.hdbscan.minClusterSize;
    const noiseShare = this.#rowsSinceFit > 0
      ? this.#noiseSinceFit / this.#rowsSinceFit
      : 0;
    if (this.#rowsSinceFit / base >= this.drift.newRowShare) {
      this.requestRefit(
        `appended rows reached ${
          (this.drift.newRowShare * 100).toFixed(0)
        }% of the model`,
      );
    } else if (
      this.#rowsSinceFit >= minimum &&
      noiseShare - model.noiseShare >= this.drift.newNoiseShare
    ) {
      this.requestRefit(
        `${(noiseShare * 100).toFixed(0)}% of appended rows are noise`,
      );
    }
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Builds the error for a request that needs the first fit. A data set whose
   * load or first fit failed stays failed, so it gets a ConflictError (409)
   * with the cause. For a watched file, the registry loads a new data set when
   * the file changes. One still loading or fitting gets a NotReadyError (503)
   * with `notReadyMessage`, which the client may retry.
   */
  #notFittedError(action: string, notReadyMessage: string): Error {
    if (this.status !== "failed") return new NotReadyError(notReadyMessage);
    const cause = (this.error?.message ?? "unknown error").replace(/\.$/, "");
    const next = this.source.watch && this.source.path !== undefined
      ? "Fix or rewrite the watched file, and the data set loads again when it changes."
      : "Fix the input file, its path or its options, then restart the server to load it again.";
    return new ConflictError(
      `Data set "${this.name}" failed to load, so it cannot ${action}: ${cause}. ${next}`,
      { cause: this.error },
    );
  }

  #fail(error: unknown): void {
    this.status = "failed";
    this.error = error instanceof Error ? error : new Error(String(error));
    log.error("dataset.failed", {
      dataset: this.name,
      datasetId: this.id,
      error: this.error,
    });
  }
}

/** Builds the vector spec that reads appended rows the way the first load was read. */
function inferSpec(store: RowStore): VectorSpec {
  const [first] = store.vectorColumns;
  const isFeature = store.attributes.some((column) => column.name === first);
  if (store.vectorColumns.length === 1 && !isFeature) return { vector: first! };
  return { features: store.vectorColumns.join(",") };
}

/** Reads appended rows, reporting any problem with them as a 422 about the appended rows. */
async function loadAppendedRows(
  bytes: Uint8Array,
  format: TableFormat,
  spec: VectorSpec | undefined,
) {
  try {
    return await loadBytes(bytes, `append.${format}`, {
      vectorSpec: spec,
      format,
      dropInvalidRows: false,
    });
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(`Invalid appended rows: ${error.message}`, {
        status: 422,
        cause: error,
      });
    }
    throw error;
  }
}
