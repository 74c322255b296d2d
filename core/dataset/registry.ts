import { InputError, NotFoundError } from "../errors.ts";
import { log } from "../log.ts";
import { FileWatcher } from "../stream/file_watch.ts";
import { Dataset, type DatasetSource } from "./dataset.ts";

export { Dataset, type DatasetSource, type DatasetStatus } from "./dataset.ts";

/** Names allowed in URLs: letters, digits, dot, dash and underscore. */
export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The data sets a server serves, by name. */
export class DatasetRegistry {
  readonly #datasets = new Map<string, Dataset>();
  readonly #watchers: FileWatcher[] = [];
  #closed = false;

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
    return this.#open(source);
  }

  /** Creates the data set of `source`, with its watcher when it has one. */
  #open(source: DatasetSource): Dataset {
    const dataset = new Dataset(source);
    this.#datasets.set(source.name, dataset);
    if (source.watch) {
      const watcher = new FileWatcher(dataset, source.watch);
      this.#watchers.push(watcher);
      void watcher.start().catch((error) =>
        log.error("watch.failed", {
          dataset: dataset.name,
          datasetId: dataset.id,
          error,
        })
      );
      const { path } = source;
      if (path !== undefined) {
        void dataset.ready
          .then(() =>
            dataset.status === "failed"
              ? this.#reloadOnChange(dataset, source, path)
              : undefined
          )
          .catch((error) =>
            log.error("dataset.reload.failed", {
              dataset: dataset.name,
              datasetId: dataset.id,
              path,
              error,
            })
          );
      }
    }
    return dataset;
  }

  /**
   * Polls the file of a watched data set whose first load failed, and loads
   * the data set again, under the same name, once the file appears or
   * changes. Pages and the API then serve the new data set.
   */
  async #reloadOnChange(
    failed: Dataset,
    source: DatasetSource,
    path: string,
  ): Promise<void> {
    const stamp = await fileStamp(path);
    const interval = source.watch?.intervalMs ?? 1000;
    while (!this.#closed && this.#datasets.get(source.name) === failed) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      if (this.#closed || this.#datasets.get(source.name) !== failed) return;
      const now = await fileStamp(path);
      if (now === null || now === stamp) continue;
      log.info("dataset.reload", {
        dataset: source.name,
        datasetId: failed.id,
        path,
        reason: "the watched file changed after a failed load",
      });
      failed.close();
      this.#open(source);
      return;
    }
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
    this.#closed = true;
    for (const watcher of this.#watchers) watcher.stop();
    for (const dataset of this.#datasets.values()) dataset.close();
  }
}

/** Returns the size and modification time of a file as one string, or null while it is missing. */
async function fileStamp(path: string): Promise<string | null> {
  try {
    const { size, mtime } = await Deno.stat(path);
    return `${size}:${mtime?.getTime() ?? 0}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
