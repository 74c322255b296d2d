/**
 * Tests of CSV line breaks and CSV read errors. They cover files that mix
 * CRLF, LF and lone CR line breaks, and quoted fields that contain line
 * breaks. They also check the short messages that malformed files get, from
 * loadBytes and from appends over HTTP. Every load runs the real duckdb-wasm
 * instance.
 */

import { InputError } from "../core/errors.ts";
import { normalizeLineBreaks } from "../core/load/csv.ts";
import {
  closeDuckDB,
  loadBytes,
  type LoadedTable,
  loadFile,
} from "../core/load/mod.ts";
import {
  assert,
  assertEquals,
  assertLess,
  assertRejects,
  assertStringIncludes,
} from "./_assert.ts";
import { FIXTURES } from "./_fixtures.ts";
import { startServer } from "./_server.ts";

const encoder = new TextEncoder();
const FEATURES = { vectorSpec: { features: "a,b" } };

/**
 * Builds an `id,a,b` table in which row `i` ends with `lineBreak(i)` and the
 * header with `lineBreak(-1)`.
 */
function numericCsv(
  rowCount: number,
  lineBreak: (row: number) => string,
): string {
  let text = "id,a,b" + lineBreak(-1);
  for (let row = 0; row < rowCount; row++) {
    text += `${row},${row * 0.5},${row % 7}` + lineBreak(row);
  }
  return text;
}

function expectedVectors(rowCount: number): number[] {
  const values: number[] = [];
  for (let row = 0; row < rowCount; row++) values.push(row * 0.5, row % 7);
  return values;
}

function texts(table: LoadedTable, name: string): (string | null)[] {
  const column = table.attributes.find((attribute) => attribute.name === name);
  assert(column !== undefined, `no attribute "${name}"`);
  assert(column.kind !== "numeric", `attribute "${name}" is numeric`);
  return column.values;
}

/** Checks that a load error is short and shows no internal detail. */
function checkShortMessage(error: Error, fileName: string): void {
  assert(error instanceof InputError, `expected InputError: ${error.message}`);
  assertLess(error.message.length, 300, error.message);
  assertStringIncludes(error.message, `"${fileName}"`);
  assert(!error.message.includes("clusterscope_load"), error.message);
  assert(!error.message.includes("strict_mode"), error.message);
  assert(!error.message.includes("read_csv"), error.message);
  assert(!error.message.includes("\n"), error.message);
}

Deno.test("mixed CRLF and LF lines load", async () => {
  // Every third line, the header included, ends in CRLF and the others in LF.
  const text = numericCsv(50, (row) => (row + 1) % 3 === 0 ? "\r\n" : "\n");
  const table = await loadBytes(encoder.encode(text), "mixed.csv", FEATURES);
  assertEquals(table.rowCount, 50);
  assertEquals(Array.from(table.vectors.data), expectedVectors(50));
});

Deno.test("mixed lines load from a file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    const text = numericCsv(50, (row) => row % 2 === 0 ? "\r\n" : "\n");
    await Deno.writeTextFile(path, text);
    const table = await loadFile(path, FEATURES);
    assertEquals(table.rowCount, 50);
    assertEquals(Array.from(table.vectors.data), expectedVectors(50));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("CRLF-only file loads", async () => {
  const text = numericCsv(50, () => "\r\n");
  const table = await loadBytes(encoder.encode(text), "crlf.csv", FEATURES);
  assertEquals(table.rowCount, 50);
  assertEquals(Array.from(table.vectors.data), expectedVectors(50));
});

Deno.test("lone CR lines mixed with LF load", async () => {
  const text = numericCsv(20, (row) => row % 2 === 0 ? "\r" : "\n");
  const table = await loadBytes(encoder.encode(text), "cr.csv", FEATURES);
  assertEquals(table.rowCount, 20);
  assertEquals(Array.from(table.vectors.data), expectedVectors(20));
});

Deno.test("quoted line breaks keep their bytes", async () => {
  const cases: [string, string][] = [
    ["mixed", 'id,note,a,b\r\n1,"two\r\nlines",0.5,1\n2,"x\ny",1.5,2\r\n'],
    ["crlf", 'id,note,a,b\r\n1,"two\r\nlines",0.5,1\r\n2,"x\ny",1.5,2\r\n'],
    ["lf", 'id,note,a,b\n1,"two\r\nlines",0.5,1\n2,"x\ny",1.5,2\n'],
  ];
  for (const [name, text] of cases) {
    const table = await loadBytes(
      encoder.encode(text),
      `${name}.csv`,
      FEATURES,
    );
    assertEquals(table.rowCount, 2, name);
    assertEquals(texts(table, "note"), ["two\r\nlines", "x\ny"], name);
    assertEquals(Array.from(table.vectors.data), [0.5, 1, 1.5, 2], name);
  }
});

Deno.test("normalizeLineBreaks rewrites only mixed files", () => {
  const lf = encoder.encode("a,b\n1,2\n");
  const crlf = encoder.encode("a,b\r\n1,2\r\n");
  assert(normalizeLineBreaks(lf) === lf, "LF-only input is copied");
  assert(normalizeLineBreaks(crlf) === crlf, "CRLF-only input is copied");

  const mixed = encoder.encode('a,b\r\n"x\r\ny",2\r3,4\n');
  assertEquals(
    new TextDecoder().decode(normalizeLineBreaks(mixed)),
    'a,b\n"x\r\ny",2\n3,4\n',
  );
});

Deno.test("row with too many fields gives short error", async () => {
  const lines = numericCsv(30, () => "\n").split("\n");
  lines.splice(11, 0, "99,1,2,3");
  const error = await assertRejects(
    () => loadBytes(encoder.encode(lines.join("\n")), "wide.csv", FEATURES),
    InputError,
    "line 12",
  );
  checkShortMessage(error, "wide.csv");
  assertStringIncludes(error.message, "4 fields");
});

Deno.test("row with too few fields in mixed file", async () => {
  const text = "id,a,b\r\n1,2,3\n4,5\r\n6,7,8\n";
  const error = await assertRejects(
    () => loadBytes(encoder.encode(text), "short.csv", FEATURES),
    InputError,
    "line 3",
  );
  checkShortMessage(error, "short.csv");
  assertStringIncludes(error.message, "2 fields");
});

Deno.test("invalid UTF-8 gives short error", async () => {
  const text = encoder.encode(numericCsv(5, () => "\n"));
  const bytes = new Uint8Array([...text, 0xff, 0x2c, 0x31, 0x2c, 0x32, 0x0a]);
  const error = await assertRejects(
    () => loadBytes(bytes, "latin1.csv", FEATURES),
    InputError,
    "line 7",
  );
  checkShortMessage(error, "latin1.csv");
  assertStringIncludes(error.message, "UTF-8");
});

Deno.test("too long line gives short error", async () => {
  const text = `id,a,b\n1,2,3\n4,${"9".repeat(2_100_000)},6\n`;
  const error = await assertRejects(
    () => loadBytes(encoder.encode(text), "long.csv", FEATURES),
    InputError,
    "Maximum line size",
  );
  checkShortMessage(error, "long.csv");
  await closeDuckDB();
});

Deno.test({
  name: "CSV appends over http",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const lines = Deno.readTextFileSync(
      new URL("reference/blobs_2k.csv", FIXTURES),
    ).trim().split("\n");
    const token = "test-token-lines";
    const server = await startServer([{
      name: "blobs",
      bytes: encoder.encode(lines.slice(0, 301).join("\n") + "\n"),
      fileName: "blobs.csv",
      load: { vectorSpec: { features: "x0..x7" } },
      fit: { minClusterSize: 15, nNeighbors: 10 },
      drift: { newRowShare: Infinity, newNoiseShare: Infinity },
    }], { app: { token } });
    const append = (body: string) =>
      fetch(`${server.base}/api/d/blobs/rows`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "text/csv",
        },
        body,
      });
    try {
      const rows = lines.slice(301, 321);
      const mixed = lines[0] + "\r\n" +
        rows.map((row, i) => row + (i % 2 === 0 ? "\r\n" : "\n")).join("");
      const accepted = await append(mixed);
      assertEquals(accepted.status, 200, await accepted.clone().text());
      assertEquals((await accepted.json()).rows, 320);

      // The extra field sits on line 3 of the body, between valid rows.
      const body = [lines[0], rows[0], rows[1] + ",7", ...rows.slice(2, 6)];
      const malformed = body.join("\n") + "\n";
      const rejected = await append(malformed);
      assertEquals(rejected.status, 422);
      const message: string = (await rejected.json()).error;
      assertLess(message.length, 300, message);
      assertStringIncludes(message, "line 3");
      assert(!message.includes("clusterscope_load"), message);
      assert(!message.includes("strict_mode"), message);
    } finally {
      await server.close();
      await closeDuckDB();
    }
  },
});
