import { Hono } from "hono";
import type { DatasetRegistry } from "../core/dataset/registry.ts";
import {
  pointsToArrow,
  pointsToCsv,
  pointsToJson,
} from "../core/export/points.ts";
import { requireReady } from "./dataset_state.ts";
import { profileCluster } from "../core/dataset/cluster_profile.ts";
import { NotFoundError } from "../core/errors.ts";
import { parseLabel } from "./query.ts";
import { parseQuery } from "./query.ts";
import { revalidate } from "./etag.ts";
import type { AppEnv } from "./env.ts";

/** JSON and Arrow endpoints under /api. */
export function apiRoutes(registry: DatasetRegistry): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get("/d", (c) =>
    c.json(
      registry.list().map((dataset) => ({
        name: dataset.name,
        status: dataset.status,
        progress: dataset.progress,
        rows: dataset.store?.rowCount ?? null,
        clusters: dataset.snapshot?.clusterCount ?? null,
        error: dataset.error?.message ?? null,
      })),
    ));

  api.get("/d/:name/clusters", (c) => {
    parseQuery(c.req.query(), {});
    const { dataset, table, snapshot } = requireReady(
      registry.get(c.req.param("name")),
    );
    const unchanged = revalidate(c, snapshot, "clusters");
    if (unchanged) return unchanged;
    return c.json({
      name: dataset.name,
      version: snapshot.version,
      rows: snapshot.rowCount,
      clusterCount: snapshot.clusterCount,
      noise: snapshot.noiseCount,
      dropped: table.dropped,
      params: snapshot.params,
      clusters: snapshot.clusters.map((cluster) => ({
        label: cluster.label,
        size: cluster.size,
        share: snapshot.rowCount > 0 ? cluster.size / snapshot.rowCount : 0,
        meanProbability: cluster.meanProbability,
        meanOutlierScore: cluster.meanOutlierScore,
      })),
    });
  });

  api.get("/d/:name/clusters/:label", (c) => {
    parseQuery(c.req.query(), {});
    const { dataset, table, snapshot } = requireReady(
      registry.get(c.req.param("name")),
    );
    const label = parseLabel(c.req.param("label"));
    const cluster = snapshot.clusters.find((info) => info.label === label);
    if (!cluster) {
      const known = snapshot.clusters.map((info) => info.label).join(", ");
      throw new NotFoundError(
        `Cluster ${label} not found in "${dataset.name}"; clusters: ${known}`,
      );
    }
    const unchanged = revalidate(c, snapshot, `cluster:${label}`);
    if (unchanged) return unchanged;
    return c.json({
      name: dataset.name,
      version: snapshot.version,
      label,
      size: cluster.size,
      share: snapshot.rowCount > 0 ? cluster.size / snapshot.rowCount : 0,
      meanProbability: cluster.meanProbability,
      meanOutlierScore: cluster.meanOutlierScore,
      columns: profileCluster(table, snapshot.labels, label),
    });
  });

  api.get("/d/:name/points", (c) => {
    const { format } = parseQuery(c.req.query(), {
      format: {
        kind: "enum",
        values: ["arrow", "csv", "json"],
        default: "arrow",
      },
    });
    const { table, snapshot } = requireReady(registry.get(c.req.param("name")));
    const unchanged = revalidate(c, snapshot, `points:${format}`);
    if (unchanged) return unchanged;
    if (format === "csv") {
      c.header("content-type", "text/csv; charset=utf-8");
      return c.body(pointsToCsv({ ...snapshot, rows: table.inputRows }));
    }
    if (format === "json") {
      c.header("content-type", "application/json; charset=utf-8");
      return c.body(pointsToJson({ ...snapshot, rows: table.inputRows }));
    }
    c.header("content-type", "application/vnd.apache.arrow.stream");
    return c.body(pointsToArrow({ ...snapshot, rows: table.inputRows }));
  });

  return api;
}
