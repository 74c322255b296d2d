import type { PredictionModel } from "./prediction_model.ts";

/** Assignment of a new point: its label (-1 for noise) and scores. */
export interface Placement {
  label: number;
  probability: number;
  outlierScore: number;
}

/**
 * Places one new point into a fitted HDBSCAN model without refitting, in the
 * manner of the reference library's approximate_predict. The point's core
 * distance comes from its own neighbours in the model. Its mutual
 * reachability to each neighbour picks the neighbour it would join and the
 * lambda at which it joins. Walking up the condensed tree from that
 * neighbour's cluster, past clusters born above that lambda, gives the cluster.
 *
 * `indices` and `distances` are the point's `count` nearest model points,
 * ascending. A point that lands in a descendant of a selected cluster takes
 * that cluster's label, as the fitted points of that descendant do.
 */
export function approximatePredict(
  model: PredictionModel,
  indices: Int32Array,
  distances: Float64Array,
  count: number,
): Placement {
  if (count === 0) return { label: -1, probability: 0, outlierScore: 1 };

  // The point's core distance, from the same neighbour rank as the fit's.
  const coreDistance = distances[Math.min(model.minSamples, count) - 1]!;

  // The neighbour at the smallest mutual reachability distance.
  let nearest = indices[0]!;
  let reach = Infinity;
  for (let j = 0; j < count; j++) {
    const neighbour = indices[j]!;
    const candidate = Math.max(
      model.coreDistances[neighbour]!,
      coreDistance,
      distances[j]!,
    );
    if (candidate < reach) {
      reach = candidate;
      nearest = neighbour;
    }
  }
  const lambda = reach > 0 ? 1 / reach : Number.MAX_VALUE;

  // Walk up from the neighbour's cluster to the one alive at this lambda.
  const start = model.pointCluster[nearest]!;
  let cluster = start;
  if (model.pointLambda[nearest]! > lambda) {
    while (cluster > 0 && model.clusterBirth[cluster]! >= lambda) {
      cluster = model.clusterParent[cluster]!;
    }
  }

  const label = model.clusterLabel[cluster]!;
  let probability = 0;
  if (label >= 0) {
    const scale = model.membershipScale[cluster]!;
    probability = scale > 0 ? Math.min(lambda, scale) / scale : 1;
  }
  const outlierScale = model.outlierScale[start]!;
  const outlierScore = outlierScale > 0
    ? Math.min(1, Math.max(0, (outlierScale - lambda) / outlierScale))
    : 0;
  return { label, probability, outlierScore };
}
