import type { Vectors } from "../types.ts";
import type { FittedModel, PlacedRows } from "./fitted_model.ts";
import type { PlaceMessage, PlaceRequest } from "./place_worker.ts";

/**
 * Places appended rows in a long-lived Web Worker that keeps the current
 * model. Requests complete in the order they were sent, and a batch sent
 * after {@link setModel} is placed into that model.
 */
export class Placer {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve: (rows: PlacedRows) => void; reject: (error: Error) => void }
  >();

  /** Sends a new model to the worker; the model is copied, so the caller keeps its own. */
  setModel(model: FittedModel): void {
    this.#send({ type: "model", model });
  }

  /** Places `rows` into the last model sent. */
  place(rows: Vectors, seed: number): Promise<PlacedRows> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#send({ type: "place", id, rows, seed });
    });
  }

  /** Stops the worker; pending requests fail. */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const { reject } of this.#pending.values()) {
      reject(new Error("Placement worker closed"));
    }
    this.#pending.clear();
  }

  #send(request: PlaceRequest): void {
    this.#ensureWorker().postMessage(request);
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./place_worker.ts", import.meta.url), {
      type: "module",
    });
    worker.onmessage = (event: MessageEvent<PlaceMessage>) => {
      const message = event.data;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.type === "placed") pending.resolve(message.placed);
      else {pending.reject(
          Object.assign(new Error(message.message), { name: message.name }),
        );}
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`Placement worker failed: ${event.message}`);
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
      this.#worker?.terminate();
      this.#worker = null;
    };
    this.#worker = worker;
    return worker;
  }
}
