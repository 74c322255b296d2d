import type { FitParams } from "../fit/params.ts";
import type { FitResult } from "../fit/pipeline.ts";
import {
  createQueryIndex,
  type ExactQueryIndex,
  queryNearest,
} from "../knn/query.ts";
import type { Vectors } from "../types.ts";
import { transformPoints } from "../umap/transform.ts";
import { approximatePredict } from "./approximate_predict.ts";
import {
  buildPredictionModel,
  type PredictionModel,
} from "./prediction_model.ts";

/** A finished fit, ready to place new rows without refitting. */
export interface FittedModel {
  /** Rows the fit covered (the first rows of the data set). */
  readonly rowCount: number;
  readonly params: FitParams;
  readonly index: ExactQueryIndex;
  readonly prediction: PredictionModel;
  /** Stable cluster id of each fit label. */
  readonly stableIds: Int32Array;
  /** Positions of the fit's rows, row-major n x 2, or null without a projection. */
  readonly layout: Float32Array | null;
  /** Share of the fit's rows that are noise, the baseline for drift. */
  readonly noiseShare: number;
}

/** Rows placed into a model: stable ids, scores and positions. */
export interface PlacedRows {
  readonly labels: Int32Array;
  readonly probabilities: Float64Array;
  readonly outlierScores: Float64Array;
  readonly positions: Float32Array | null;
}

/** Wraps a fit of `vectors` (the rows it covered) with the stable ids of its labels. */
export function createFittedModel(
  fit: FitResult,
  vectors: Vectors,
  params: FitParams,
  stableIds: Int32Array,
): FittedModel {
  let noise = 0;
  for (let i = 0; i < fit.n; i++) if (fit.labels[i]! < 0) noise++;
  return {
    rowCount: fit.n,
    params,
    index: createQueryIndex(vectors, params.hdbscan.metric),
    prediction: buildPredictionModel(
      fit.model.condensedTree,
      fit.model.selectedClusters,
      fit.model.coreDistances,
      fit.model.minSamples,
    ),
    stableIds,
    layout: fit.layout,
    noiseShare: fit.n > 0 ? noise / fit.n : 0,
  };
}

/**
 * Places new rows into a model: HDBSCAN's approximate prediction for label,
 * probability and outlier score, and UMAP's transform for the position. The
 * model's own rows do not move. The same model, rows and seed give the same
 * placement.
 */
export function placeRows(
  model: FittedModel,
  rows: Vectors,
  seed: number,
): PlacedRows {
  const m = rows.n;
  const labels = new Int32Array(m).fill(-1);
  const probabilities = new Float64Array(m);
  const outlierScores = new Float64Array(m).fill(1);
  if (model.rowCount === 0 || m === 0) {
    return {
      labels,
      probabilities,
      outlierScores,
      positions: model.layout ? new Float32Array(m * 2) : null,
    };
  }

  // Neighbours enough for both the prediction and the transform.
  const { minSamples } = model.prediction;
  const k = Math.min(
    model.rowCount,
    Math.max(2 * minSamples, model.params.umap.nNeighbors),
  );
  const neighbours = queryNearest(model.index, rows, k);

  for (let i = 0; i < m; i++) {
    const start = i * neighbours.k;
    const placement = approximatePredict(
      model.prediction,
      neighbours.indices.subarray(start, start + neighbours.k),
      neighbours.distances.subarray(start, start + neighbours.k),
      neighbours.k,
    );
    labels[i] = placement.label >= 0 ? model.stableIds[placement.label]! : -1;
    probabilities[i] = placement.probability;
    outlierScores[i] = placement.outlierScore;
  }

  const positions = model.layout
    ? transformPoints(
      {
        layout: model.layout,
        n: model.rowCount,
        nNeighbors: model.params.umap.nNeighbors,
        minDist: model.params.umap.minDist,
        spread: 1,
      },
      neighbours.indices,
      neighbours.distances,
      neighbours.k,
      seed,
    )
    : null;
  return { labels, probabilities, outlierScores, positions };
}
