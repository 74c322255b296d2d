import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  AuthError,
  ConflictError,
  InputError,
  NotFoundError,
  NotReadyError,
} from "../core/errors.ts";
import { log } from "../core/log.ts";
import { escapeHtml } from "./views/html.ts";
import { staticUrl } from "./static.ts";

/** Maps an error to the HTTP status it stands for: 4xx for the caller's mistakes, else 500. */
export function statusOf(error: unknown): ContentfulStatusCode {
  if (error instanceof HTTPException) {
    return error.status as ContentfulStatusCode;
  }
  if (error instanceof InputError) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof AuthError) return error.status;
  if (error instanceof ConflictError) return 409;
  if (error instanceof NotReadyError) return 503;
  return 500;
}

/**
 * Handles every error of the app. A known error becomes its own 4xx (or 503)
 * response in the format of the route: JSON under /api, plain text for charts
 * and HTML for pages. Anything else is logged once with the request id and
 * gets a 500 response without internal detail.
 */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof HTTPException && error.res) return error.getResponse();
  const status = statusOf(error);
  const requestId = c.get("requestId");
  const message = status === 500
    ? `Internal error; quote request id ${requestId} when reporting it`
    : error.message;
  if (status === 500) {
    log.error("request.failed", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      error,
      stack: error.stack,
    });
  } else {
    log.warn("request.rejected", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      error: error.message,
    });
  }

  if (status === 503) c.header("retry-after", "2");
  const path = c.req.path;
  if (path.startsWith("/api/")) {
    return c.json({ error: message, status, requestId }, status);
  }
  if (path.endsWith(".svg") || path === "/healthz") {
    return c.text(message, status);
  }
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error ${status}</title>` +
      `<link rel="stylesheet" href="${
        staticUrl("style.css")
      }"></head><body><main><h1>Error ${status}</h1>` +
      `<p class="error">${
        escapeHtml(message)
      }</p><p><a href="/">All data sets</a></p></main></body></html>`,
    status,
  );
}
