import { HTTPException } from "hono/http-exception";
import type { Dataset } from "../core/dataset/registry.ts";
import type { Snapshot } from "../core/dataset/snapshot.ts";
import type { RowStore } from "../core/dataset/row_store.ts";
import { InputError, NotFoundError } from "../core/errors.ts";

/** A data set whose first fit has finished: the table and the snapshot a request reads. */
export interface ReadyDataset {
  dataset: Dataset;
  table: RowStore;
  snapshot: Snapshot;
}

/**
 * Returns the table and current snapshot of a ready data set. A data set that
 * is still loading or fitting raises a 503 with its progress and a Retry-After,
 * and a failed one raises the error that stopped it.
 */
export function requireReady(dataset: Dataset): ReadyDataset {
  const { store: table, snapshot } = dataset;
  if (dataset.status === "failed" || (!snapshot && dataset.error)) {
    const error = dataset.error!;
    const message =
      `Data set "${dataset.name}" failed to load: ${error.message}`;
    if (error instanceof InputError || error instanceof NotFoundError) {
      throw new InputError(message, { status: 422, cause: error });
    }
    throw new Error(message, { cause: error });
  }
  if (!table || !snapshot) {
    const { fraction, stage } = dataset.progress;
    const body = JSON.stringify({
      error:
        `Data set "${dataset.name}" is not ready yet: ${dataset.status}, ${stage} ${
          (fraction * 100).toFixed(1)
        }%`,
      status: dataset.status,
      progress: { fraction, stage },
    });
    throw new HTTPException(503, {
      res: new Response(body, {
        status: 503,
        headers: {
          "content-type": "application/json",
          "retry-after": "2",
          "cache-control": "no-store",
        },
      }),
    });
  }
  return { dataset, table, snapshot };
}
