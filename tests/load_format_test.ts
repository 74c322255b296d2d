import { assertEquals, assertThrows } from "./_assert.ts";
import { InputError } from "../core/errors.ts";
import { detectFormat } from "../core/load/mod.ts";

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("detectFormat by content", () => {
  assertEquals(detectFormat("data", encode('{"a":1}\n')), "ndjson");
  assertEquals(detectFormat("data", encode("a,b\n1,2\n")), "csv");
  assertEquals(
    detectFormat("data", Uint8Array.from([0x50, 0x41, 0x52, 0x31, 0])),
    "parquet",
  );
});

Deno.test("detectFormat rejects binary files", () => {
  const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14]);
  assertThrows(
    () => detectFormat("book.xlsx", zip),
    InputError,
    "unsupported file format",
  );
});
