/**
 * k-nearest-neighbour graphs, shared by HDBSCAN (core distances) and UMAP
 * (fuzzy graph). Every builder implements {@link KnnBuilder}. `exactKnn` is
 * the exact one, and an approximate builder can be added beside it and run
 * through the same tests (tests/knn_exact_test.ts lists the builders).
 */

export {
  type KnnBuilder,
  validateNeighbourCount,
  validateVectors,
} from "./builder.ts";
export { exactKnn } from "./exact.ts";
