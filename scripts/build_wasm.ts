/**
 * Compiles core/umap/layout_kernel.wat with wabt and writes the binary,
 * base64-encoded, to core/umap/layout_kernel_wasm.ts, so the kernel loads
 * without file or network access. Run it as `deno task build:wasm` after
 * editing the .wat file; tests/layout_kernel_test.ts fails while the two
 * differ.
 *
 * @module
 */
import { compileKernel, KERNEL_MODULE, kernelModuleSource } from "./wasm.ts";

const bytes = await compileKernel();
await Deno.writeTextFile(KERNEL_MODULE, kernelModuleSource(bytes));
const note = `Wrote ${KERNEL_MODULE.pathname} (${bytes.length} bytes)\n`;
Deno.stdout.writeSync(new TextEncoder().encode(note));
