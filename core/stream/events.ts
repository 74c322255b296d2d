/** One change pushed to subscribers, such as appended rows or a finished refit. */
export interface DatasetEvent {
  /** Increasing per data set, so a client can tell what it missed. */
  id: number;
  type:
    | "rows"
    | "refit-started"
    | "refit-progress"
    | "refit-finished"
    | "refit-failed"
    | "ids-mapped";
  data: Record<string, unknown>;
}

type Listener = (event: DatasetEvent) => void;

/**
 * Fans a data set's events out to subscribers (Server-Sent Events streams).
 * Listeners run synchronously and must not throw; a listener that does is
 * dropped so one broken stream cannot stop the others.
 */
export class EventHub {
  readonly #listeners = new Set<Listener>();
  #nextId = 1;

  /** Adds a listener and returns the function that removes it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(
    type: DatasetEvent["type"],
    data: Record<string, unknown>,
  ): DatasetEvent {
    const event = { id: this.#nextId++, type, data };
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        this.#listeners.delete(listener);
      }
    }
    return event;
  }

  get size(): number {
    return this.#listeners.size;
  }
}
