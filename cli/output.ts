const encoder = new TextEncoder();

/** Writes a line of program output (help, summaries) to stdout. */
export function writeOutput(text: string): void {
  Deno.stdout.writeSync(
    encoder.encode(text.endsWith("\n") ? text : text + "\n"),
  );
}

/** Writes a line for the user to stderr, such as a fatal error. */
export function writeError(text: string): void {
  Deno.stderr.writeSync(
    encoder.encode(text.endsWith("\n") ? text : text + "\n"),
  );
}
