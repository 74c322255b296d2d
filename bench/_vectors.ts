/** Generated high-dimensional data for the numeric benchmarks; the tests use the same. */
export { blobVectors } from "../tests/_vectors.ts";
