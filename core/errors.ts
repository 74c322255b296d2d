/**
 * Error classes shared by the core, the loader and the server. The server maps
 * each class to one HTTP status in its error handler, so code that raises them
 * never needs to know about HTTP.
 */

/** Input that the user can fix: a bad value, column, option or row. (400/422) */
export class InputError extends Error {
  override name = "InputError";
  /** HTTP status of the response: 400 for a bad request, 422 for bad data, 413 or 415 for a bad body. */
  readonly status: 400 | 413 | 415 | 422;
  constructor(
    message: string,
    options?: { status?: 400 | 413 | 415 | 422; cause?: unknown },
  ) {
    super(message, { cause: options?.cause });
    this.status = options?.status ?? 422;
  }
}

/** A named thing (file, data set, cluster, column) that does not exist. (404) */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** The data set cannot take this request yet, for example before its first fit. (503) */
export class NotReadyError extends Error {
  override name = "NotReadyError";
}

/**
 * A request that the data set's current state rejects permanently, so a retry
 * cannot help, such as an append to a data set whose load failed. (409)
 */
export class ConflictError extends Error {
  override name = "ConflictError";
}

/** A write request without a valid token, or with writes turned off. (401, 403) */
export class AuthError extends Error {
  override name = "AuthError";
  readonly status: 401 | 403;
  constructor(message: string, status: 401 | 403) {
    super(message);
    this.status = status;
  }
}
