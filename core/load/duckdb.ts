/**
 * The loader's one in-process DuckDB instance, and the queue that runs one
 * load at a time on it.
 *
 * This is the blocking build of duckdb-wasm 1.32 for Node (`createDuckDB` with
 * `NODE_RUNTIME`), which runs under Deno's Node compatibility and needs read
 * and `sys` (os.cpus) permissions. The wasm files ship inside the npm package
 * and are read from there, so nothing is downloaded.
 *
 * NOTE: queries run synchronously on the calling thread, so a load blocks the
 * event loop for as long as DuckDB works on it. A server that must answer
 * requests during loads would run them in a Worker.
 */

import { type Table, tableFromIPC } from "apache-arrow";
import {
  createDuckDB,
  type DuckDBBindings,
  type DuckDBConnection,
  NODE_RUNTIME,
  VoidLogger,
} from "@duckdb/duckdb-wasm/blocking";

/** An open database and its one connection. */
export interface DuckDBSession {
  readonly bindings: DuckDBBindings;
  readonly connection: DuckDBConnection;
}

/**
 * Settings applied once per instance. Extension auto-install and auto-load
 * stay off, so a query that needs a missing extension fails instead of
 * downloading one. Insertion order is kept so that a plain SELECT returns rows
 * in input order.
 */
const SETTINGS = [
  "SET autoinstall_known_extensions = false",
  "SET autoload_known_extensions = false",
  "SET preserve_insertion_order = true",
];

let opening: Promise<DuckDBSession> | null = null;
let queue: Promise<unknown> = Promise.resolve();
let nextTableId = 1;

/**
 * Runs `work` with the shared session once every earlier call has settled, so
 * that concurrent loads never interleave their statements.
 */
export function withDuckDB<T>(
  work: (session: DuckDBSession) => Promise<T>,
): Promise<T> {
  const run = queue.then(async () => work(await openDuckDB()));
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Runs one SQL statement and decodes its Arrow result.
 *
 * duckdb-wasm's own `query` builds its tables with the CommonJS copy of
 * apache-arrow that its bundle requires. Those objects fail `instanceof`
 * checks of the ES module copy that the rest of the project imports, and that
 * copy's `tableToIPC` writes nothing for them. Decoding the IPC bytes here
 * keeps every table on the ES module copy.
 */
export function runQuery(session: DuckDBSession, sql: string): Table {
  const bytes = session.connection.useUnsafe((bindings, connection) =>
    bindings.runQuery(connection, sql)
  );
  return tableFromIPC(bytes);
}

/** Returns a fresh internal table name. It never contains user input. */
export function createTableName(): string {
  return `clusterscope_load_${nextTableId++}`;
}

/**
 * Closes the shared instance once queued loads have finished. The next load
 * opens a new one, so tests and the CLI can call this before they exit.
 */
export async function closeDuckDB(): Promise<void> {
  const closing = queue.then(async () => {
    if (opening === null) return;
    const session = await opening.catch(() => null);
    opening = null;
    if (session === null) return;
    session.connection.close();
    session.bindings.reset();
  });
  queue = closing.catch(() => undefined);
  await closing;
}

function openDuckDB(): Promise<DuckDBSession> {
  if (opening === null) {
    opening = instantiate();
    // A failed start is not cached, so the next load tries again.
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

async function instantiate(): Promise<DuckDBSession> {
  const bindings = await createDuckDB(
    {
      mvp: { mainModule: packageFilePath("duckdb-mvp.wasm"), mainWorker: "" },
      eh: { mainModule: packageFilePath("duckdb-eh.wasm"), mainWorker: "" },
    },
    new VoidLogger(),
    NODE_RUNTIME,
  );
  await bindings.instantiate(() => {});
  bindings.open({
    query: {
      castBigIntToDouble: false,
      castDecimalToDouble: false,
      castTimestampToDate: false,
    },
  });
  const connection = bindings.connect();
  for (const statement of SETTINGS) {
    connection.useUnsafe((_, id) => bindings.runQuery(id, statement));
  }
  return { bindings, connection };
}

/** Returns the local path of a file in the duckdb-wasm package's `dist` folder. */
function packageFilePath(fileName: string): string {
  const url = new URL(
    import.meta.resolve(`@duckdb/duckdb-wasm/dist/${fileName}`),
  );
  return decodeURIComponent(url.pathname);
}

/**
 * Returns the message of a DuckDB error. Insert calls report errors as JSON
 * with an `exception_message` field, and queries report plain text. The
 * excerpt of the failed SQL that DuckDB appends (`LINE 1: CREATE TABLE ...`
 * and a caret line) is removed, because it shows internal table and file
 * names.
 */
export function duckdbMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed?.exception_message === "string") {
      return removeSqlExcerpt(parsed.exception_message);
    }
  } catch {
    // Plain text, not JSON.
  }
  return removeSqlExcerpt(text);
}

function removeSqlExcerpt(message: string): string {
  return message.replace(/\n+LINE \d+:[^\n]*(\n[ \t]*\^[ \t]*)?\s*$/, "")
    .trimEnd();
}
