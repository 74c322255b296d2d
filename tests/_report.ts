const encoder = new TextEncoder();

/** Prints a measured value into the test output, such as an ARI or a trustworthiness. */
export function report(text: string): void {
  Deno.stdout.writeSync(encoder.encode(text + "\n"));
}
