import {
  DatasetRegistry,
  type DatasetSource,
} from "../core/dataset/registry.ts";
import { type LogRecord, setLogSink } from "../core/log.ts";
import { type AppOptions, createApp } from "../routes/app.ts";

/** A real HTTP server on a free loopback port, with its registry and captured log records. */
export interface TestServer {
  base: string;
  registry: DatasetRegistry;
  logs: LogRecord[];
  close(): Promise<void>;
}

/** Starts the app on 127.0.0.1 with the given data sets; waits for their first fits unless `wait` is false. */
export async function startServer(
  sources: DatasetSource[],
  options: { wait?: boolean; app?: Omit<AppOptions, "registry"> } = {},
): Promise<TestServer> {
  const logs: LogRecord[] = [];
  const previousSink = setLogSink((record) => logs.push(record));
  const registry = new DatasetRegistry();
  for (const source of sources) registry.add(source);
  if (options.wait ?? true) await registry.settled();
  const app = createApp({ ...options.app, registry });
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, app.fetch);
  const { port } = server.addr as Deno.NetAddr;
  return {
    base: `http://127.0.0.1:${port}`,
    registry,
    logs,
    async close() {
      registry.close();
      await registry.settled();
      await server.shutdown();
      setLogSink(previousSink);
    },
  };
}
