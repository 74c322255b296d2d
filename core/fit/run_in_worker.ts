import { InputError } from "../errors.ts";
import type { ProgressCallback, Vectors } from "../types.ts";
import type { FitMessage, FitRequest } from "./fit_worker.ts";
import type { FitParams } from "./params.ts";
import type { FitResult } from "./pipeline.ts";

/**
 * Runs {@link fitModel} in a Web Worker, so the caller's event loop stays free
 * to answer requests. Aborting `signal` terminates the worker at once. The
 * vectors are copied into the worker; the caller keeps its own.
 */
export function fitInWorker(
  vectors: Vectors,
  params: FitParams,
  options: {
    onProgress?: ProgressCallback;
    signal?: AbortSignal;
    initialLayout?: Float32Array;
  } = {},
): Promise<FitResult> {
  const { signal, initialLayout } = options;
  const onProgress = options.onProgress ?? (() => {});
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(new URL("./fit_worker.ts", import.meta.url), {
      type: "module",
    });
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      finish();
      reject(signal?.reason ?? new DOMException("Fit cancelled", "AbortError"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });

    worker.onmessage = (event: MessageEvent<FitMessage>) => {
      const message = event.data;
      if (message.type === "progress") {
        onProgress(message.fraction, message.stage);
      } else if (message.type === "result") {
        finish();
        resolve(message.result);
      } else {
        finish();
        reject(rebuildError(message.name, message.message));
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish();
      reject(new Error(`Fit worker failed: ${event.message}`));
    };

    const data = vectors.data.slice();
    const request: FitRequest = {
      data,
      n: vectors.n,
      dim: vectors.dim,
      params,
      initialLayout,
    };
    worker.postMessage(request, [data.buffer as ArrayBuffer]);
  });
}

/** Restores the error class across the worker boundary, so HTTP statuses survive. */
function rebuildError(name: string, message: string): Error {
  if (name === "InputError") return new InputError(message);
  if (name === "RangeError") return new RangeError(message);
  if (name === "TypeError") return new TypeError(message);
  return new Error(message);
}
