/// <reference lib="deno.worker" />
/**
 * Entry of a {@link HelperThread} (helper_thread.ts). The first message
 * carries the shared control array. Each later message is a task: its
 * module is imported once, its exported function runs with the task's
 * argument, and the status slot reports the outcome.
 */

import { type HelperTask, TASK_DONE, TASK_FAILED } from "./helper_thread.ts";

const READY = 0;
const STATUS = 1;

let control: Int32Array | undefined;
const modules = new Map<string, Record<string, unknown>>();

self.onmessage = async (event: MessageEvent<HelperTask>) => {
  const task = event.data;
  if (control === undefined) {
    control = new Int32Array(task.control!);
    Atomics.store(control, READY, 1);
    Atomics.notify(control, READY);
    return;
  }
  try {
    let module = modules.get(task.moduleUrl);
    if (module === undefined) {
      module = await import(task.moduleUrl) as Record<string, unknown>;
      modules.set(task.moduleUrl, module);
    }
    const run = module[task.exportName];
    if (typeof run !== "function") {
      throw new TypeError(
        `Module ${task.moduleUrl} exports no function ${task.exportName}`,
      );
    }
    run(task.args);
    Atomics.store(control, STATUS, TASK_DONE);
  } catch {
    // The caller blocks on the status slot and cannot take an error event,
    // so the failure reaches it as the status alone.
    Atomics.store(control, STATUS, TASK_FAILED);
  }
  Atomics.notify(control, STATUS);
};
