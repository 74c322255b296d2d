/**
 * k-nearest-neighbour graphs, shared by HDBSCAN (core distances) and UMAP
 * (fuzzy graph). Every builder implements {@link KnnBuilder}: `exactKnn` is
 * exact, `nnDescentKnn` approximate, and `adaptiveKnn` picks one by table
 * size. tests/knn_exact_test.ts and tests/knn_approximate_test.ts run the
 * same contract checks against each.
 */

export {
  isApproximate,
  type KnnBuilder,
  validateNeighbourCount,
  validateVectors,
} from "./builder.ts";
export {
  adaptiveKnn,
  EXACT_KNN_MAX_ROWS,
  EXACT_KNN_MIN_K,
} from "./adaptive.ts";
export { exactKnn } from "./exact.ts";
export { nnDescentKnn } from "./nn_descent.ts";
