import type { MiddlewareHandler } from "hono";
import { AuthError } from "../core/errors.ts";

const encoder = new TextEncoder();

/**
 * Guards write endpoints with a bearer token. With no token configured,
 * writes are off (403); a missing or wrong token is a 401. The comparison
 * takes the same time wherever the tokens differ, and the token is never
 * logged or echoed.
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  const expected = token ? encoder.encode(token) : null;
  return async (c, next) => {
    if (!expected) {
      throw new AuthError(
        "Writes are disabled: start the server with the CLUSTERSCOPE_TOKEN variable (or a token in the config file) to accept them",
        403,
      );
    }
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header("www-authenticate", 'Bearer realm="clusterscope"');
      throw new AuthError(
        "Missing bearer token: send an Authorization: Bearer TOKEN header",
        401,
      );
    }
    if (!constantTimeEqual(encoder.encode(match[1]!), expected)) {
      c.header(
        "www-authenticate",
        'Bearer realm="clusterscope", error="invalid_token"',
      );
      throw new AuthError("Invalid bearer token", 401);
    }
    await next();
  };
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  }
  return difference === 0;
}
