import { Hono } from "hono";
import { NotFoundError } from "../core/errors.ts";
import type { AppEnv } from "./env.ts";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  ico: "image/x-icon",
};

const STATIC_DIRECTORY = new URL("../static/", import.meta.url);

/**
 * Serves the files of static/, read once at start-up into memory, so a URL
 * never reaches the file system: only names found in the folder are served.
 * Pages link them with `?v=<hash>`, so they are cached for a year.
 */
export function staticRoutes(): Hono<AppEnv> {
  const files = readStaticFiles();
  const routes = new Hono<AppEnv>();
  routes.get("/:file", (c) => {
    const file = files.get(c.req.param("file"));
    if (!file) {
      throw new NotFoundError(`Static file "${c.req.param("file")}" not found`);
    }
    c.header("content-type", file.type);
    c.header("etag", `"${file.version}"`);
    c.header(
      "cache-control",
      c.req.query("v") === file.version
        ? "public, max-age=31536000, immutable"
        : "public, max-age=300",
    );
    if (c.req.header("if-none-match") === `"${file.version}"`) {
      return c.body(null, 304);
    }
    return c.body(file.bytes);
  });
  return routes;
}

interface StaticFile {
  bytes: Uint8Array<ArrayBuffer>;
  type: string;
  version: string;
}

let cached: Map<string, StaticFile> | null = null;

function readStaticFiles(): Map<string, StaticFile> {
  if (cached) return cached;
  const files = new Map<string, StaticFile>();
  for (const entry of Deno.readDirSync(STATIC_DIRECTORY)) {
    const extension = entry.name.split(".").pop() ?? "";
    if (!entry.isFile || !(extension in TYPES)) continue;
    const bytes = Deno.readFileSync(new URL(entry.name, STATIC_DIRECTORY));
    files.set(entry.name, {
      bytes,
      type: TYPES[extension]!,
      version: fingerprint(bytes),
    });
  }
  cached = files;
  return files;
}

/** Returns the versioned URL of a static file, for links in pages. */
export function staticUrl(name: string): string {
  const file = readStaticFiles().get(name);
  return file ? `/static/${name}?v=${file.version}` : `/static/${name}`;
}

function fingerprint(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
