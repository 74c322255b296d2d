/**
 * A second thread for loops that split into two halves whose results do not
 * depend on timing: the caller starts a task on the helper, works on its own
 * half, then blocks until the helper is done. The two halves share memory
 * through SharedArrayBuffer-backed typed arrays passed in the task's
 * arguments. The caller blocks with Atomics.wait, which Deno allows on every
 * thread, so the synchronous numeric code can use it anywhere.
 *
 * NOTE: this is used by the neighbour search and by UMAP's optimiser
 * (core/umap/optimize_layout.ts); a neutral folder such as core/parallel/
 * would suit it better than core/knn/.
 */

/** Slots of the control array shared with the helper. */
const READY = 0;
const STATUS = 1;

/** Values of the STATUS slot. */
export const TASK_IDLE = 0;
export const TASK_RUNNING = 1;
export const TASK_DONE = 2;
export const TASK_FAILED = 3;

/** Whether this thread may start helpers; see {@link allowHelperThreads}. */
let helpersAllowed = true;

/**
 * Allows or forbids helper threads for the work this thread starts later.
 * The server's fit worker forbids them on machines of two cores or fewer,
 * so the fit takes one core and requests keep the other.
 */
export function allowHelperThreads(allowed: boolean): void {
  helpersAllowed = allowed;
}

/** Maximum wait for the helper to start, in milliseconds. */
const START_TIMEOUT_MS = 10_000;

/** A task for the helper: a function exported by a module, and its argument. */
export interface HelperTask {
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly args: unknown;
  /** Set by the helper: the `status` array of the thread that runs the task. */
  readonly control?: SharedArrayBuffer;
}

/** A worker thread that runs one {@link HelperTask} at a time. */
export class HelperThread {
  readonly #worker: Worker;
  /** READY and STATUS slots, shared with the helper. */
  readonly control: Int32Array;

  private constructor(worker: Worker, control: Int32Array) {
    this.#worker = worker;
    this.control = control;
  }

  /**
   * Starts a helper and waits until it is ready, or returns undefined where
   * workers or shared memory are missing, where {@link allowHelperThreads}
   * or the environment variable CLUSTERSCOPE_HELPER_THREADS=0 turned
   * helpers off, or when the helper fails to start. The caller then does
   * both halves itself.
   */
  static open(): HelperThread | undefined {
    if (
      !helpersAllowed ||
      typeof Worker === "undefined" ||
      typeof SharedArrayBuffer === "undefined" ||
      helpersTurnedOff()
    ) return undefined;
    const control = new Int32Array(new SharedArrayBuffer(8));
    let worker: Worker;
    try {
      worker = new Worker(new URL("./helper_worker.ts", import.meta.url), {
        type: "module",
      });
    } catch {
      return undefined;
    }
    // A helper that fails to load never sets READY, and the caller then does
    // the work itself, so the worker's error event must not end the process.
    worker.onerror = (event) => event.preventDefault();
    worker.postMessage({ control: control.buffer });
    const state = Atomics.wait(control, READY, 0, START_TIMEOUT_MS);
    if (state === "timed-out" && Atomics.load(control, READY) === 0) {
      worker.terminate();
      return undefined;
    }
    return new HelperThread(worker, control);
  }

  /** Starts `task` on the helper and returns at once. */
  start(task: HelperTask): void {
    Atomics.store(this.control, STATUS, TASK_RUNNING);
    this.#worker.postMessage({ ...task, control: this.control.buffer });
  }

  /** Returns the helper's task status, one of the TASK_ values. */
  status(): number {
    return Atomics.load(this.control, STATUS);
  }

  /**
   * Blocks until the task started last returns. A task that throws reports
   * it through the status. NOTE: a helper that died without reporting would
   * block this forever; Deno ends the whole process when a worker runs out
   * of memory, the one such death expected here.
   *
   * @throws {Error} when the task threw on the helper.
   */
  join(): void {
    while (Atomics.load(this.control, STATUS) === TASK_RUNNING) {
      Atomics.wait(this.control, STATUS, TASK_RUNNING, 1000);
    }
    if (this.status() === TASK_FAILED) {
      throw new Error("Helper thread task failed; see the worker's error");
    }
  }

  /** Stops the helper thread. */
  close(): void {
    this.#worker.terminate();
  }
}

/** Returns whether CLUSTERSCOPE_HELPER_THREADS=0 turns helper threads off. */
function helpersTurnedOff(): boolean {
  try {
    return Deno.env.get("CLUSTERSCOPE_HELPER_THREADS") === "0";
  } catch {
    // Without permission to read the environment, helpers stay on.
    return false;
  }
}

/**
 * Blocks until `flags[slot]` reaches at least `value`, or the helper's task
 * stops running without getting there.
 *
 * @throws {Error} when the helper's task failed or returned early.
 */
export function waitForCount(
  flags: Int32Array,
  slot: number,
  value: number,
  helper: HelperThread,
): void {
  for (;;) {
    const current = Atomics.load(flags, slot);
    if (current >= value) return;
    if (helper.status() !== TASK_RUNNING) {
      throw new Error(
        `Helper thread stopped at step ${current} of ${value}: its task failed`,
      );
    }
    Atomics.wait(flags, slot, current, 1000);
  }
}

/** Sets `flags[slot]` to `value` and wakes every thread waiting on it. */
export function signalCount(
  flags: Int32Array,
  slot: number,
  value: number,
): void {
  Atomics.store(flags, slot, value);
  Atomics.notify(flags, slot);
}
