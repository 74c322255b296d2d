/**
 * Assertions for the tests, on top of node:assert (Deno's standard assert
 * package lives on a registry this project does not use).
 */
import nodeAssert from "node:assert/strict";

export function assert(
  condition: unknown,
  message?: string,
): asserts condition {
  nodeAssert.ok(condition, message);
}

export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

export function assertNotEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

export function assertGreater(
  actual: number,
  expected: number,
  message?: string,
): void {
  nodeAssert.ok(
    actual > expected,
    message ?? `expected ${actual} > ${expected}`,
  );
}

export function assertLess(
  actual: number,
  expected: number,
  message?: string,
): void {
  nodeAssert.ok(
    actual < expected,
    message ?? `expected ${actual} < ${expected}`,
  );
}

export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance: number,
  message?: string,
): void {
  nodeAssert.ok(
    Math.abs(actual - expected) <= tolerance,
    message ?? `expected ${actual} to be within ${tolerance} of ${expected}`,
  );
}

export function assertStringIncludes(
  actual: string,
  expected: string,
  message?: string,
): void {
  nodeAssert.ok(
    actual.includes(expected),
    message ??
      `expected ${JSON.stringify(actual)} to include ${
        JSON.stringify(expected)
      }`,
  );
}

export function assertMatch(
  actual: string,
  pattern: RegExp,
  message?: string,
): void {
  nodeAssert.match(actual, pattern, message);
}

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/** Checks that `fn` throws an instance of `errorClass` whose message includes `includes`. */
export function assertThrows(
  fn: () => unknown,
  errorClass?: ErrorClass,
  includes?: string,
): Error {
  try {
    fn();
  } catch (error) {
    checkError(error, errorClass, includes);
    return error as Error;
  }
  throw new nodeAssert.AssertionError({
    message: "expected the function to throw",
  });
}

/** Checks that `promise` rejects with an instance of `errorClass` whose message includes `includes`. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  errorClass?: ErrorClass,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    checkError(error, errorClass, includes);
    return error as Error;
  }
  throw new nodeAssert.AssertionError({
    message: "expected the promise to reject",
  });
}

function checkError(
  error: unknown,
  errorClass?: ErrorClass,
  includes?: string,
): void {
  if (errorClass && !(error instanceof errorClass)) {
    throw new nodeAssert.AssertionError({
      message: `expected ${errorClass.name}, got ${(error as Error)?.name}: ${
        (error as Error)?.message
      }`,
    });
  }
  if (
    includes !== undefined &&
    !String((error as Error)?.message).includes(includes)
  ) {
    throw new nodeAssert.AssertionError({
      message: `expected the error message to include ${
        JSON.stringify(includes)
      }, got ${JSON.stringify((error as Error)?.message)}`,
    });
  }
}
