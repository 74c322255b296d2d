import type { Vectors } from "../core/types.ts";

/** Folder of the test fixtures. */
export const FIXTURES = new URL("./fixtures/", import.meta.url);

/** Reads the 64 pixel columns of the digits fixture (1,797 rows) as vectors, with the true digit. */
export function readDigits(): { vectors: Vectors; digits: Int32Array } {
  const lines = Deno.readTextFileSync(new URL("reference/digits.csv", FIXTURES))
    .trim().split("\n");
  const header = lines[0]!.split(",");
  const dim = 64;
  const n = lines.length - 1;
  const data = new Float32Array(n * dim);
  const digits = new Int32Array(n);
  const digitColumn = header.indexOf("digit");
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1]!.split(",");
    for (let c = 0; c < dim; c++) data[i * dim + c] = Number(cells[c]);
    digits[i] = digitColumn >= 0 ? Number(cells[digitColumn]) : -1;
  }
  return { vectors: { data, n, dim }, digits };
}
