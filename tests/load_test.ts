/**
 * Tests of the loader (core/load) against the fixtures in fixtures/load/ and
 * tables built in memory. Every test runs the real duckdb-wasm instance.
 */

import {
  Field,
  Float32,
  List,
  makeTable,
  Table,
  tableFromArrays,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import {
  Table as WasmTable,
  writeParquet,
  WriterPropertiesBuilder,
} from "parquet-wasm";
import { InputError, NotFoundError } from "../core/errors.ts";
import {
  closeDuckDB,
  detectFormat,
  loadBytes,
  type LoadedTable,
  loadFile,
  type LoadOptions,
  type NumericAttribute,
  type TableFormat,
} from "../core/load/mod.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./_assert.ts";
import { FIXTURES } from "./_fixtures.ts";

const LOAD_FIXTURES = new URL("load/", FIXTURES);
const encoder = new TextEncoder();

function loadCsv(text: string, options?: LoadOptions): Promise<LoadedTable> {
  return loadBytes(encoder.encode(text), "table.csv", options);
}

function numeric(table: LoadedTable, name: string): NumericAttribute {
  const column = table.attributes.find((attribute) => attribute.name === name);
  assert(column !== undefined, `no attribute "${name}"`);
  assert(column.kind === "numeric", `attribute "${name}" is ${column.kind}`);
  return column;
}

function texts(table: LoadedTable, name: string): (string | null)[] {
  const column = table.attributes.find((attribute) => attribute.name === name);
  assert(column !== undefined, `no attribute "${name}"`);
  assert(column.kind !== "numeric", `attribute "${name}" is numeric`);
  return column.values;
}

/** Expected vectors of the typed fixture, row-major 4 x 3. */
const TYPED_VECTORS = [0.5, 1, -2, 1.5, 2, 3, 2.5, -1, 0.25, 3.5, 0, 1];

/** Checks what every format of the typed fixture must give. */
function checkTypedTable(table: LoadedTable): void {
  assertEquals(table.rowCount, 4);
  assertEquals(table.vectors.n, 4);
  assertEquals(table.vectors.dim, 3);
  assertEquals(Array.from(table.vectors.data), TYPED_VECTORS);
  assertEquals(table.vectorColumns, ["embedding"]);
  assertEquals(
    table.attributes.map((attribute) => attribute.name),
    ["id", "channel name", "amount", "day", "seen_at", "active", 'quote"d ü'],
  );
  assertEquals(numeric(table, "id").exact, [
    "9007199254740993",
    "2",
    "-3",
    "4",
  ]);
  assertEquals(texts(table, "channel name"), [
    "organic search",
    "social ads",
    null,
    "organic search",
  ]);
  assertEquals(texts(table, "active"), ["true", "false", null, "true"]);
  assertEquals(texts(table, 'quote"d ü'), ["é", "ü", null, "x"]);

  const day = table.attributes.find((attribute) => attribute.name === "day");
  assert(day?.kind === "temporal");
  assertEquals(day.values, ["2024-01-31", "2024-02-01", null, "2024-02-03"]);
  assertEquals(Array.from(day.epochMs), [
    Date.UTC(2024, 0, 31),
    Date.UTC(2024, 1, 1),
    NaN,
    Date.UTC(2024, 1, 3),
  ]);

  const seenAt = table.attributes.find((attribute) =>
    attribute.name === "seen_at"
  );
  assert(seenAt?.kind === "temporal");
  assertEquals(seenAt.values[0], "2024-01-31 08:30:00");
  assertEquals(seenAt.epochMs[0], Date.UTC(2024, 0, 31, 8, 30));

  assertEquals(table.dropped, []);
  assertEquals(Array.from(table.inputRows), [0, 1, 2, 3]);
  assertEquals(table.table.numRows, 4);
  assert(
    table.table instanceof Table,
    "table is not an apache-arrow Table of this project",
  );
}

const TYPED_FILES: [string, TableFormat][] = [
  ["typed.csv", "csv"],
  ["typed.parquet", "parquet"],
  ["typed.arrow", "arrow"],
  ["typed.arrows", "arrow"],
  ["typed.ndjson", "ndjson"],
];

for (const [fileName, format] of TYPED_FILES) {
  Deno.test(`loadFile ${fileName}`, async () => {
    const table = await loadFile(new URL(fileName, LOAD_FIXTURES).pathname);
    assertEquals(table.name, fileName);
    assertEquals(table.format, format);
    checkTypedTable(table);
  });

  Deno.test(`loadBytes sniffs ${fileName} without extension`, async () => {
    const bytes = await Deno.readFile(new URL(fileName, LOAD_FIXTURES));
    const table = await loadBytes(bytes, "upload", {
      vectorSpec: { vector: "embedding" },
    });
    assertEquals(table.format, format);
    checkTypedTable(table);
  });
}

Deno.test("loadFile decimal keeps exact text", async () => {
  for (const fileName of ["typed.parquet", "typed.arrow"]) {
    const amount = numeric(
      await loadFile(new URL(fileName, LOAD_FIXTURES).pathname),
      "amount",
    );
    assertEquals(amount.sqlType, "DECIMAL(18,4)");
    assertEquals(amount.exact, [
      "12345678901234.5678",
      "0.0001",
      "-7.2500",
      "100.0000",
    ]);
    assertEquals(amount.values[1], 0.0001);
  }
});

Deno.test("loadBytes bigint keeps exact text", async () => {
  const table = await loadCsv(
    "id,v\n9223372036854775807,1\n-9007199254740993,2\n",
  );
  const id = numeric(table, "id");
  assertEquals(id.sqlType, "BIGINT");
  assertEquals(id.exact, ["9223372036854775807", "-9007199254740993"]);
  assertEquals(id.values[1], -9007199254740992);
});

Deno.test("loadBytes format option overrides extension", async () => {
  const bytes = await Deno.readFile(new URL("typed.ndjson", LOAD_FIXTURES));
  const table = await loadBytes(bytes, "typed.csv", { format: "ndjson" });
  assertEquals(table.format, "ndjson");
  checkTypedTable(table);
});

Deno.test("detectFormat magic bytes", () => {
  const bytes = (...values: number[]) => new Uint8Array(values);
  assertEquals(detectFormat("x", bytes(0x50, 0x41, 0x52, 0x31, 0)), "parquet");
  assertEquals(detectFormat("x", encoder.encode("ARROW1\0\0")), "arrow");
  assertEquals(detectFormat("x", bytes(0xff, 0xff, 0xff, 0xff, 0x10)), "arrow");
  assertEquals(detectFormat("x", encoder.encode('\ufeff  {"a":1}')), "ndjson");
  assertEquals(detectFormat("x", encoder.encode("a,b\n1,2\n")), "csv");
  assertEquals(detectFormat("x.unknown", encoder.encode("a,b\n")), "csv");
  assertEquals(
    detectFormat("DATA.PARQUET", encoder.encode("a,b\n")),
    "parquet",
  );
});

Deno.test("detectFormat rejects gzip and json array", () => {
  assertThrows(
    () => detectFormat("x.csv", new Uint8Array([0x1f, 0x8b, 8])),
    InputError,
    "gzip",
  );
  assertThrows(
    () => detectFormat("x", encoder.encode('[{"a":1}]')),
    InputError,
    "one JSON object per line",
  );
});

/** Header `id,p0,...,p11,label`; row r has id r and p_i = 100 * r + i. */
function featureCsv(rows: number): string {
  const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const lines = [["id", ...names, "label"].join(",")];
  for (let r = 0; r < rows; r++) {
    lines.push([r, ...names.map((_, i) => 100 * r + i), `L${r}`].join(","));
  }
  return lines.join("\n") + "\n";
}

Deno.test("features range", async () => {
  const table = await loadCsv(featureCsv(3), {
    vectorSpec: { features: "p0..p11" },
  });
  assertEquals(table.vectors.dim, 12);
  assertEquals(
    table.vectorColumns,
    Array.from({ length: 12 }, (_, i) => `p${i}`),
  );
  assertEquals(
    Array.from(table.vectors.data.subarray(12, 24)),
    Array.from({ length: 12 }, (_, i) => 100 + i),
  );
  // Feature columns stay attributes.
  assertEquals(table.attributes.map((a) => a.name), [
    "id",
    ...table.vectorColumns,
    "label",
  ]);
});

Deno.test("features glob in numeric order", async () => {
  const table = await loadCsv(featureCsv(2), {
    vectorSpec: { features: "p*" },
  });
  assertEquals(
    table.vectorColumns,
    Array.from({ length: 12 }, (_, i) => `p${i}`),
  );
  assertEquals(table.vectors.data[10], 10);
  assertEquals(table.vectors.data[12 + 2], 102);
});

Deno.test("features comma list keeps order", async () => {
  const table = await loadCsv(featureCsv(2), {
    vectorSpec: { features: "p10, p2,p0" },
  });
  assertEquals(table.vectorColumns, ["p10", "p2", "p0"]);
  assertEquals(Array.from(table.vectors.data), [10, 2, 0, 110, 102, 100]);
});

Deno.test("features zero-padded range", async () => {
  const table = await loadCsv("f00,f01,f02\n1,2,3\n", {
    vectorSpec: { features: "f00..f02" },
  });
  assertEquals(table.vectorColumns, ["f00", "f01", "f02"]);
  assertEquals(Array.from(table.vectors.data), [1, 2, 3]);
});

Deno.test("features option errors", async () => {
  const cases: [string, number, string][] = [
    ["p0..p12", 400, 'unknown column "p12"'],
    ["p5..p1", 400, "the end 1 is below the start 5"],
    ["q*", 400, 'no column matches "q*"'],
    ["p0,,p1", 400, "empty name"],
    ["p0,p0", 400, '"p0" appears twice'],
    ["p0,label", 422, 'feature column "label" has type VARCHAR'],
  ];
  for (const [features, status, message] of cases) {
    const error = await assertRejects(
      () => loadCsv(featureCsv(2), { vectorSpec: { features } }),
      InputError,
      message,
    );
    assertEquals((error as InputError).status, status, features);
  }
});

Deno.test("default picks the single list column", async () => {
  const bytes = await Deno.readFile(new URL("typed.parquet", LOAD_FIXTURES));
  const table = await loadBytes(bytes, "typed.parquet");
  assertEquals(table.vectorColumns, ["embedding"]);
});

Deno.test("default picks a column named vector", async () => {
  const table = await loadCsv('name,Vector\na,"[1,2]"\nb,"[3,4]"\n');
  assertEquals(table.vectorColumns, ["Vector"]);
  assertEquals(Array.from(table.vectors.data), [1, 2, 3, 4]);
});

Deno.test("default takes numeric columns except ids", async () => {
  const table = await loadCsv(
    "id,user_id,x,y,name\n1,7,0.5,1.5,a\n2,8,2.5,3.5,b\n",
  );
  assertEquals(table.vectorColumns, ["x", "y"]);
  assertEquals(Array.from(table.vectors.data), [0.5, 1.5, 2.5, 3.5]);
});

Deno.test("default picks a JSON array text column", async () => {
  const table = await loadCsv(
    'id,emb,activity,note\n1,"[1, 2.5, -3e-1]",4,"[x]"\n2,"[4,5,6]",7,n\n',
  );
  assertEquals(table.vectorColumns, ["emb"]);
  assertEquals(table.vectors.dim, 3);
  assertEquals(Array.from(table.vectors.data), [
    1,
    2.5,
    -0.30000001192092896,
    4,
    5,
    6,
  ]);
});

Deno.test("default picks a JSON array column starting with NaN", async () => {
  const error = await assertRejects(
    () => loadCsv('id,emb,activity\n1,"[NaN, 2]",4\n2,"[+4,5]",7\n'),
    InputError,
  );
  assertStringIncludes((error as InputError).message, "emb");
  const table = await loadCsv('emb,activity\n"[+4, 5]",1\n"[6, 7]",2\n');
  assertEquals(table.vectorColumns, ["emb"]);
});

Deno.test("default rejects two JSON array text columns", async () => {
  const error = await assertRejects(
    () => loadCsv('a,b\n"[1,2]","[3,4]"\n'),
    InputError,
    "2 text columns contain JSON arrays of numbers (a, b)",
  );
  assertEquals((error as InputError).status, 400);
});

Deno.test("default rejects two list columns", async () => {
  const ndjson = '{"a":[1,2],"b":[3,4]}\n';
  const error = await assertRejects(
    () => loadBytes(encoder.encode(ndjson), "t.ndjson"),
    InputError,
    "2 columns contain lists of numbers (a, b)",
  );
  assertEquals((error as InputError).status, 400);
});

Deno.test("default rejects table without numbers", async () => {
  await assertRejects(
    () => loadCsv("a,b\nx,y\n"),
    InputError,
    "no vector column found",
  );
});

/** Input order: ids 0..n-1 shuffled by a fixed permutation. */
function shuffledIds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i * 7919) % n);
}

Deno.test("row order kept in every format", async () => {
  const n = 3000;
  const ids = shuffledIds(n);
  const embedding = vectorFromArray(
    ids.map((id) => [id, -id]),
    new List(new Field("item", new Float32(), true)),
  );
  const arrowTable = new Table({
    id: vectorFromArray(Int32Array.from(ids)),
    embedding,
  });

  // Several record batches, and several Parquet row groups.
  const batched = new Table(
    arrowTable.slice(0, 1000).batches.concat(arrowTable.slice(1000).batches),
  );
  assert(batched.batches.length >= 2);
  const parquet = writeParquet(
    WasmTable.fromIPCStream(tableToIPC(arrowTable, "stream")),
    new WriterPropertiesBuilder().setMaxRowGroupSize(700).build(),
  );
  const csv = "id,embedding\n" +
    ids.map((id) => `${id},"[${id},${-id}]"`).join("\n") + "\n";
  const ndjson = ids.map((id) => JSON.stringify({ id, embedding: [id, -id] }))
    .join("\n");

  const inputs: [string, Uint8Array][] = [
    ["order.arrow", tableToIPC(batched, "file")],
    ["order.arrows", tableToIPC(batched, "stream")],
    ["order.parquet", parquet],
    ["order.csv", encoder.encode(csv)],
    ["order.ndjson", encoder.encode(ndjson)],
  ];
  for (const [name, bytes] of inputs) {
    const table = await loadBytes(bytes, name, {
      vectorSpec: { vector: "embedding" },
    });
    assertEquals(Array.from(numeric(table, "id").values), ids, `${name} ids`);
    const firstComponents = Array.from(
      { length: n },
      (_, i) => table.vectors.data[2 * i],
    );
    assertEquals(firstComponents, ids, `${name} vectors`);
    const tableIds = Array.from(table.table.getChild("id")!, Number);
    assertEquals(tableIds, ids, `${name} table`);
  }
});

Deno.test("odd column names", async () => {
  const csv =
    'x x,"q""uote",x x,émoji 😀,"emb ""v"""\n1,2,3,4,"[1,2]"\n5,6,7,8,"[3,4]"\n';
  const table = await loadCsv(csv, { vectorSpec: { vector: 'emb "v"' } });
  assertEquals(table.attributes.map((a) => a.name), [
    "x x",
    'q"uote',
    "x x_1",
    "émoji 😀",
  ]);
  assertEquals(Array.from(numeric(table, "x x_1").values), [3, 7]);
  assertEquals(Array.from(table.vectors.data), [1, 2, 3, 4]);

  const features = await loadCsv(csv, {
    vectorSpec: { features: 'q"uote,émoji 😀' },
  });
  assertEquals(Array.from(features.vectors.data), [2, 4, 6, 8]);
});

Deno.test("column named rowid keeps order", async () => {
  const table = await loadCsv("rowid,x\n5,0.5\n3,1.5\n9,2.5\n", {
    vectorSpec: { features: "x" },
  });
  assertEquals(Array.from(numeric(table, "rowid").values), [5, 3, 9]);
  assertEquals(Array.from(table.vectors.data), [0.5, 1.5, 2.5]);
});

Deno.test("missing file", async () => {
  await assertRejects(
    () => loadFile("/nonexistent/missing.csv"),
    NotFoundError,
    '"/nonexistent/missing.csv"',
  );
});

Deno.test("directory instead of file", async () => {
  const error = await assertRejects(
    () => loadFile(LOAD_FIXTURES.pathname),
    InputError,
    "it is a directory",
  );
  assertEquals((error as InputError).status, 400);
});

Deno.test("unknown vector column", async () => {
  const error = await assertRejects(
    () =>
      loadCsv('id,embedding\n1,"[1]"\n', {
        vectorSpec: { vector: "embeding" },
      }),
    InputError,
    'unknown column "embeding" for --vector (did you mean "embedding"?); columns are: id, embedding',
  );
  assertEquals((error as InputError).status, 400);
});

Deno.test("non-numeric vector text", async () => {
  const error = await assertRejects(
    () =>
      loadCsv('id,embedding\n1,"[1,2]"\n2,"[3,abc]"\n', {
        vectorSpec: { vector: "embedding" },
      }),
    InputError,
    'vector column "embedding" row 1 is not a list of numbers: "abc" in "[3,abc]"',
  );
  assertEquals((error as InputError).status, 422);

  await assertRejects(
    () =>
      loadBytes(encoder.encode('{"e":[1,"a"]}\n'), "t.ndjson", {
        vectorSpec: { vector: "e" },
      }),
    InputError,
    'row 0 is not a list of numbers: "\\"a\\""',
  );
});

Deno.test("non-numeric list type", async () => {
  const table = makeTable({ id: Int32Array.from([1, 2]) });
  const withTags = new Table({
    id: table.getChild("id")!,
    tags: vectorFromArray(
      [["a"], ["b"]],
      new List(new Field("item", new Utf8(), true)),
    ),
  });
  await assertRejects(
    () =>
      loadBytes(tableToIPC(withTags, "stream"), "t.arrows", {
        vectorSpec: { vector: "tags" },
      }),
    InputError,
    'vector column "tags" has type VARCHAR[], which is not a list of numbers',
  );
  await assertRejects(
    () =>
      loadBytes(tableToIPC(withTags, "stream"), "t.arrows", {
        vectorSpec: { vector: "id" },
      }),
    InputError,
    "use --features",
  );
});

Deno.test("ragged vectors", async () => {
  await assertRejects(
    () =>
      loadCsv('e\n"[1,2,3]"\n"[1,2,3]"\n"[1,2]"\n', {
        vectorSpec: { vector: "e" },
      }),
    InputError,
    'ragged vectors in vector column "e": row 0 has 3 values but row 2 has 2',
  );
  await assertRejects(
    () =>
      loadBytes(encoder.encode('{"e":[1]}\n{"e":[1,2]}\n'), "t.ndjson", {
        dropInvalidRows: true,
      }),
    InputError,
    "row 0 has 1 values but row 1 has 2",
  );
});

Deno.test("invalid values name row and column", async () => {
  const cases: [string, string][] = [
    [
      'e\n"[1,2]"\n"[NaN,2]"\n',
      'row 1 (0-based input row): column "e" contains NaN',
    ],
    [
      'e\n"[1,2]"\n"[1,2]"\n"[1,inf]"\n',
      'row 2 (0-based input row): column "e" contains Infinity',
    ],
    ['e\n"[1,null]"\n', 'row 0 (0-based input row): column "e" contains null'],
    ['e\n"[1,2]"\n\n', 'row 1 (0-based input row): column "e" contains null'],
    ['e\n"[1e39,2]"\n', "1e+39, which is outside the float32 range"],
  ];
  for (const [csv, message] of cases) {
    const error = await assertRejects(
      () => loadCsv(csv, { vectorSpec: { vector: "e" } }),
      InputError,
      message,
    );
    assertEquals((error as InputError).status, 422);
  }

  await assertRejects(
    () => loadCsv("a,b\n1,2\n3,\n", { vectorSpec: { features: "a,b" } }),
    InputError,
    'row 1 (0-based input row): column "b" contains null',
  );
  await assertRejects(
    () => loadCsv("a,b\n1,2\n1,-inf\n", { vectorSpec: { features: "a,b" } }),
    InputError,
    'column "b" contains -Infinity',
  );
});

Deno.test("dropInvalidRows drops and reports", async () => {
  const csv =
    'id,e\n10,"[1,2]"\n11,"[NaN,2]"\n12,"[3,4]"\n13,\n14,"[5,Infinity]"\n15,"[6,7]"\n';
  const table = await loadCsv(csv, {
    vectorSpec: { vector: "e" },
    dropInvalidRows: true,
  });
  assertEquals(table.rowCount, 3);
  assertEquals(Array.from(table.vectors.data), [1, 2, 3, 4, 6, 7]);
  assertEquals(table.dropped, [
    { row: 1, column: "e", reason: "NaN" },
    { row: 3, column: "e", reason: "null" },
    { row: 4, column: "e", reason: "Infinity" },
  ]);
  assertEquals(Array.from(table.inputRows), [0, 2, 5]);
  assertEquals(Array.from(numeric(table, "id").values), [10, 12, 15]);
  assertEquals(table.table.numRows, 3);
  assertEquals(Array.from(table.table.getChild("id")!, Number), [10, 12, 15]);
});

Deno.test("dropInvalidRows features names column", async () => {
  const table = await loadCsv("a,b\n1,2\nnan,3\n4,\n5,6\n", {
    vectorSpec: { features: "a,b" },
    dropInvalidRows: true,
  });
  assertEquals(Array.from(table.vectors.data), [1, 2, 5, 6]);
  assertEquals(table.dropped, [
    { row: 1, column: "a", reason: "NaN" },
    { row: 2, column: "b", reason: "null" },
  ]);
});

Deno.test("dropInvalidRows every row invalid", async () => {
  await assertRejects(
    () =>
      loadCsv('e\n"[NaN]"\n"[null]"\n', {
        vectorSpec: { vector: "e" },
        dropInvalidRows: true,
      }),
    InputError,
    "every one of the 2 rows has an invalid vector",
  );
});

Deno.test("empty tables have no rows", async () => {
  const emptyArrow = tableToIPC(
    tableFromArrays({ x: new Float64Array(0) }),
    "stream",
  );
  const inputs: [string, Uint8Array][] = [
    ["header.csv", encoder.encode("id,embedding\n")],
    ["empty.csv", new Uint8Array(0)],
    ["empty.ndjson", encoder.encode("\n\n")],
    ["empty.arrows", emptyArrow],
    ["empty.parquet", writeParquet(WasmTable.fromIPCStream(emptyArrow))],
  ];
  for (const [name, bytes] of inputs) {
    await assertRejects(
      () => loadBytes(bytes, name),
      InputError,
      `cannot load "${name}": the table has no rows`,
    );
  }
});

Deno.test("zero dimensions", async () => {
  await assertRejects(
    () => loadCsv('e\n"[]"\n"[]"\n', { vectorSpec: { vector: "e" } }),
    InputError,
    "has vectors of 0 dimensions",
  );
});

Deno.test("invalid options", async () => {
  const cases: [LoadOptions, string][] = [
    [{ format: "xlsx" as TableFormat }, 'invalid format "xlsx"'],
    [{
      vectorSpec: {
        vector: "a",
        features: "b",
      } as unknown as LoadOptions["vectorSpec"],
    }, "not both"],
    [{ vectorSpec: { vector: " " } }, "for --vector"],
  ];
  for (const [options, message] of cases) {
    const error = await assertRejects(
      () => loadCsv("a\n1\n", options),
      InputError,
      message,
    );
    assertEquals((error as InputError).status, 400);
  }
});

Deno.test("unreadable files", async () => {
  await assertRejects(
    () => loadBytes(encoder.encode("PAR1 not really"), "x.parquet"),
    InputError,
    "failed to read Parquet file",
  );
  await assertRejects(
    () => loadBytes(encoder.encode("ARROW1 no"), "x.arrow"),
    InputError,
    "failed to read Arrow file",
  );
  await assertRejects(
    () => loadBytes(encoder.encode('{"a":1}\n{"a":\n'), "x.ndjson"),
    InputError,
    "line 2 is not valid JSON",
  );
});

Deno.test("concurrent loads do not clash", async () => {
  const loads = Array.from(
    { length: 6 },
    (_, i) => loadCsv(`id,embedding\n${i},"[${i},${i}]"\n`),
  );
  const tables = await Promise.all(loads);
  tables.forEach((table, i) =>
    assertEquals(Array.from(table.vectors.data), [i, i])
  );
});

Deno.test("closeDuckDB then load again", async () => {
  await closeDuckDB();
  const table = await loadCsv('embedding\n"[1]"\n');
  assertEquals(table.rowCount, 1);
  await closeDuckDB();
});
