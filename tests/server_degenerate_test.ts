/**
 * Degenerate tables served end to end: one row, two rows, exact duplicates,
 * zero vectors under cosine, one tight group with and without
 * allow_single_cluster. Each must fit, and its pages and charts must render.
 */
import { assert, assertEquals, assertStringIncludes } from "./_assert.ts";
import { startServer } from "./_server.ts";
import type { DatasetSource } from "../core/dataset/registry.ts";

function source(
  name: string,
  vectors: number[][],
  fit: DatasetSource["fit"] = {},
): DatasetSource {
  const lines = [
    "id,kind,embedding",
    ...vectors.map((v, i) =>
      `${i},${i % 2 ? "odd" : "even"},"[${v.join(",")}]"`
    ),
  ];
  return {
    name,
    bytes: new TextEncoder().encode(lines.join("\n") + "\n"),
    fileName: `${name}.csv`,
    load: { vectorSpec: { vector: "embedding" } },
    fit,
  };
}

/** A tight group: 60 points within 0.01 of (1, 1, 1). */
const TIGHT = Array.from(
  { length: 60 },
  (_, i) => [1 + (i % 7) * 1e-3, 1 + (i % 5) * 1e-3, 1 + (i % 3) * 1e-3],
);

Deno.test({
  name: "degenerate tables serve",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer([
      source("one", [[1, 2, 3]]),
      source("two", [[1, 2, 3], [4, 5, 6]]),
      source("dups", [...Array(30).fill([1, 1]), ...Array(30).fill([5, 5])], {
        minClusterSize: 5,
      }),
      source("zeros", [
        ...Array(10).fill([0, 0, 0]),
        ...Array.from({ length: 40 }, (_, i) => [1, i % 4, 0]),
      ], {
        metric: "cosine",
        minClusterSize: 5,
      }),
      source("tight", TIGHT, { minClusterSize: 10 }),
      source("single", TIGHT, { minClusterSize: 10, allowSingleCluster: true }),
    ]);
    try {
      for (const name of ["one", "two", "dups", "zeros", "tight", "single"]) {
        const summary =
          await (await fetch(`${server.base}/api/d/${name}/clusters`)).json();
        assertEquals(
          typeof summary.clusterCount,
          "number",
          `${name}: ${JSON.stringify(summary)}`,
        );
        const points =
          await (await fetch(`${server.base}/api/d/${name}/points?format=json`))
            .json();
        for (const point of points) {
          assert(
            point.probability >= 0 && point.probability <= 1,
            `${name} probability ${point.probability}`,
          );
          assert(
            point.outlier_score >= 0 && point.outlier_score <= 1,
            `${name} outlier ${point.outlier_score}`,
          );
          assert(
            Number.isFinite(point.x) && Number.isFinite(point.y),
            `${name} layout`,
          );
        }
        for (
          const path of [
            `/d/${name}`,
            `/d/${name}/scatter.svg`,
            `/d/${name}/sizes.svg`,
          ]
        ) {
          const response = await fetch(server.base + path);
          assertEquals(
            response.status,
            200,
            `${path}: ${await response.clone().text()}`,
          );
          await response.body?.cancel();
        }
      }

      // Identical rows share a label.
      const dups =
        await (await fetch(`${server.base}/api/d/dups/points?format=json`))
          .json();
      assertEquals(
        new Set(dups.slice(0, 30).map((p: { label: number }) => p.label)).size,
        1,
      );
      assertEquals(
        new Set(dups.slice(30).map((p: { label: number }) => p.label)).size,
        1,
      );

      // Zero vectors under cosine group together instead of failing.
      const zeros =
        await (await fetch(`${server.base}/api/d/zeros/points?format=json`))
          .json();
      assertEquals(
        new Set(zeros.slice(0, 10).map((p: { label: number }) => p.label)).size,
        1,
      );

      // One tight group: noise by default, one cluster when allowed, and the page explains why.
      const tight = await (await fetch(`${server.base}/api/d/tight/clusters`))
        .json();
      assertEquals(tight.clusterCount, 0);
      assertStringIncludes(
        await (await fetch(`${server.base}/d/tight`)).text(),
        "--allow-single-cluster",
      );
      const single = await (await fetch(`${server.base}/api/d/single/clusters`))
        .json();
      assertEquals(single.clusterCount, 1);
      assertStringIncludes(
        await (await fetch(`${server.base}/d/single`)).text(),
        "allow_single_cluster is on",
      );
    } finally {
      await server.close();
    }
  },
});
