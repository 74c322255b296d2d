/** Runs `main.ts` in a subprocess, as a user runs the command line. */

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** Runs `main.ts` with `args` and returns its exit code and stderr. */
export async function runMain(
  args: string[],
): Promise<{ code: number; stderr: string }> {
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      MAIN,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stderr } = await command.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}
