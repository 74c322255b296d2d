/** Generated scatter data for the rendering benchmarks; the tests use the same. */
export { createRandom, gaussianBlobs } from "../tests/_blobs.ts";
