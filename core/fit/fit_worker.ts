/// <reference lib="deno.worker" />
/**
 * Web Worker entry that runs one fit off the server's event loop. It receives
 * a {@link FitRequest}, posts progress messages, then one result or error.
 */
import { allowHelperThreads } from "../knn/helper_thread.ts";
import { fitModel } from "./pipeline.ts";
import type { FitParams } from "./params.ts";

// The server's event loop needs a core of its own to respond within tens of
// milliseconds, so the fit starts helper threads only where a third core is
// left (on two cores, /healthz took up to 177 ms with them and 3 ms without;
// bench/healthz_during_fit.ts).
allowHelperThreads(navigator.hardwareConcurrency >= 3);

/** Message that starts a fit; `data` is transferred, not copied. */
export interface FitRequest {
  data: Float32Array;
  n: number;
  dim: number;
  params: FitParams;
  initialLayout?: Float32Array;
}

/** Messages the worker posts back. */
export type FitMessage =
  | { type: "progress"; fraction: number; stage: string }
  | { type: "result"; result: import("./pipeline.ts").FitResult }
  | { type: "error"; name: string; message: string };

const PROGRESS_INTERVAL_MS = 100;

self.onmessage = (event: MessageEvent<FitRequest>) => {
  const { data, n, dim, params, initialLayout } = event.data;
  let lastPost = 0;
  try {
    const onProgress = (fraction: number, stage: string) => {
      const now = performance.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS && fraction < 1) return;
      lastPost = now;
      self.postMessage(
        { type: "progress", fraction, stage } satisfies FitMessage,
      );
    };
    const result = fitModel({ data, n, dim }, params, {
      initialLayout,
      onProgress,
    });
    const transfer = [
      result.labels.buffer as ArrayBuffer,
      result.probabilities.buffer as ArrayBuffer,
      result.outlierScores.buffer as ArrayBuffer,
      result.model.coreDistances.buffer as ArrayBuffer,
    ];
    if (result.layout) transfer.push(result.layout.buffer as ArrayBuffer);
    self.postMessage({ type: "result", result } satisfies FitMessage, transfer);
  } catch (error) {
    const { name, message } = error instanceof Error
      ? error
      : { name: "Error", message: String(error) };
    self.postMessage({ type: "error", name, message } satisfies FitMessage);
  }
};
