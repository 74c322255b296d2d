import type { Context } from "hono";
import type { Snapshot } from "../core/dataset/snapshot.ts";

/**
 * Builds the ETag of a response derived from `snapshot`: its content hash and
 * version plus a key for the representation (chart and canonical parameters),
 * so it changes exactly when the model or the request changes.
 */
export function etagFor(snapshot: Snapshot, key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  return `"${snapshot.hash.slice(0, 16)}-${snapshot.version}-${
    (hash >>> 0).toString(16)
  }"`;
}

/** Tells whether the request's If-None-Match already names `etag`. */
export function notModified(c: Context, etag: string): boolean {
  const header = c.req.header("if-none-match");
  if (!header) return false;
  return header === "*" ||
    header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * Sets the ETag and Cache-Control of a response derived from `snapshot` and
 * returns a 304 response when the client already has it, or null when the
 * handler should send the body.
 */
export function revalidate(
  c: Context,
  snapshot: Snapshot,
  key: string,
  cacheControl = "no-cache",
): Response | null {
  const etag = etagFor(snapshot, key);
  c.header("etag", etag);
  c.header("cache-control", cacheControl);
  return notModified(c, etag) ? c.body(null, 304) : null;
}
