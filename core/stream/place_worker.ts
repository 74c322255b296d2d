/// <reference lib="deno.worker" />
/**
 * Web Worker entry that places appended rows into the current model, so a
 * large append does not stall the server's event loop. It keeps the model it
 * was last sent, with any index it builds for queries, between batches.
 */
import type { Vectors } from "../types.ts";
import {
  type FittedModel,
  type PlacedRows,
  placeRows,
} from "./fitted_model.ts";

/** Messages the worker accepts. */
export type PlaceRequest =
  | { type: "model"; model: FittedModel }
  | { type: "place"; id: number; rows: Vectors; seed: number };

/** Messages the worker posts back, one per "place" request. */
export type PlaceMessage =
  | { type: "placed"; id: number; placed: PlacedRows }
  | { type: "error"; id: number; name: string; message: string };

let model: FittedModel | null = null;

self.onmessage = (event: MessageEvent<PlaceRequest>) => {
  const request = event.data;
  if (request.type === "model") {
    model = request.model;
    return;
  }
  try {
    if (!model) throw new Error("No model to place rows into yet");
    const placed = placeRows(model, request.rows, request.seed);
    self.postMessage(
      { type: "placed", id: request.id, placed } satisfies PlaceMessage,
    );
  } catch (error) {
    const { name, message } = error instanceof Error
      ? error
      : { name: "Error", message: String(error) };
    self.postMessage(
      { type: "error", id: request.id, name, message } satisfies PlaceMessage,
    );
  }
};
