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
    }
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
    for (const watcher of this.#watchers) watcher.stop();
    for (const dataset of this.#datasets.values()) dataset.close();
  }
}
