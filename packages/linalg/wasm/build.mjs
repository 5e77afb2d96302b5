#!/usr/bin/env node
// Compiles the AssemblyScript kernels in wasm/assembly/ to WebAssembly (SIMD, -O3, stub runtime,
// no imports) and writes the module's bytes, base64-encoded, into
// src/backends/wasm-simd-binary.ts, so that the package build and the tests need no compiler.
//
// Usage (from packages/linalg): pnpm run build:wasm   (or: node wasm/build.mjs)
// Commit the regenerated src/backends/wasm-simd-binary.ts together with the sources.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'assembly', 'index.ts');
const target = join(here, '..', 'src', 'backends', 'wasm-simd-binary.ts');
const work = mkdtempSync(join(tmpdir(), 'shallowscape-wasm-'));
const outFile = join(work, 'linalg-simd.wasm');

const args = [
  source,
  '--outFile', outFile,
  '-O3',
  '--noAssert',
  '--enable', 'simd',
  '--runtime', 'stub',
  '--use', 'abort=',
  '--initialMemory', '1',
];
const { error, stderr } = await asc.main(args);
if (error) {
  process.stderr.write(stderr.toString());
  rmSync(work, { recursive: true, force: true });
  throw error;
}
const bytes = readFileSync(outFile);
rmSync(work, { recursive: true, force: true });

const module = new WebAssembly.Module(bytes);
const imports = WebAssembly.Module.imports(module);
if (imports.length > 0) throw new Error(`the module must have no imports, found ${JSON.stringify(imports)}`);

const base64 = bytes.toString('base64');
const sha256 = createHash('sha256').update(bytes).digest('hex');
const lines = base64.match(/.{1,100}/g) ?? [];
const text = `// GENERATED FILE, do not edit. Regenerate with \`pnpm run build:wasm\` in packages/linalg
// (node wasm/build.mjs): it compiles wasm/assembly/index.ts with AssemblyScript
// (asc ${args.slice(3).join(' ')}).
// ${bytes.length} bytes, sha256 ${sha256}.

/** The \`wasm-simd\` backend's WebAssembly module (SIMD, no imports), base64-encoded. */
export const WASM_SIMD_MODULE_BASE64 =
${lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n')}

/** Byte length of the decoded module. */
export const WASM_SIMD_MODULE_BYTES = ${bytes.length};
`;
writeFileSync(target, text);
process.stdout.write(`wrote ${target} (${bytes.length} bytes, exports: ${WebAssembly.Module.exports(module).map((e) => e.name).join(', ')})\n`);
