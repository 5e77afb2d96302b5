#!/usr/bin/env node
// Compiles the AssemblyScript kernels in wasm/assembly/ to WebAssembly (SIMD, -O3, stub runtime),
// once with a memory of its own (no imports) and once over an imported shared memory (the
// backend's threads), and writes the modules' bytes, base64-encoded, into
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

/** Compiles the kernels with these extra flags; returns the module's bytes and the flags used. */
async function compile(name, extra) {
  const outFile = join(work, `${name}.wasm`);
  const args = [source, '--outFile', outFile, '-O3', '--noAssert', '--enable', 'simd', '--runtime', 'stub', '--use', 'abort=', ...extra];
  const { error, stderr } = await asc.main(args);
  if (error) {
    process.stderr.write(stderr.toString());
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  return { bytes: readFileSync(outFile), flags: args.slice(3).join(' ') };
}

// The module of one thread (its own memory), and the module the threads share: the same kernels
// over an imported shared memory (env.memory, at most 2 GiB), one instance per thread.
const single = await compile('linalg-simd', ['--initialMemory', '1']);
const shared = await compile('linalg-simd-shared', ['--enable', 'threads', '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '32768']);
rmSync(work, { recursive: true, force: true });

const singleImports = WebAssembly.Module.imports(new WebAssembly.Module(single.bytes));
if (singleImports.length > 0) throw new Error(`the module must have no imports, found ${JSON.stringify(singleImports)}`);
const sharedImports = WebAssembly.Module.imports(new WebAssembly.Module(shared.bytes));
if (JSON.stringify(sharedImports) !== JSON.stringify([{ module: 'env', name: 'memory', kind: 'memory' }])) {
  throw new Error(`the shared module must import only env.memory, found ${JSON.stringify(sharedImports)}`);
}

const encode = (bytes) => (bytes.toString('base64').match(/.{1,100}/g) ?? []);
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
const literal = (lines) => lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n');
const text = `// GENERATED FILE, do not edit. Regenerate with \`pnpm run build:wasm\` in packages/linalg
// (node wasm/build.mjs): it compiles wasm/assembly/index.ts with AssemblyScript twice:
// (asc ${single.flags}): ${single.bytes.length} bytes, sha256 ${sha(single.bytes)};
// (asc ${shared.flags}): ${shared.bytes.length} bytes, sha256 ${sha(shared.bytes)}.

/** The \`wasm-simd\` backend's WebAssembly module (SIMD, no imports), base64-encoded. */
export const WASM_SIMD_MODULE_BASE64 =
${literal(encode(single.bytes))}

/** Byte length of the decoded module. */
export const WASM_SIMD_MODULE_BYTES = ${single.bytes.length};

/** The same kernels over an imported shared memory (\`env.memory\`, at most 2 GiB), for the backend's threads; base64-encoded. */
export const WASM_SIMD_SHARED_MODULE_BASE64 =
${literal(encode(shared.bytes))}
`;
writeFileSync(target, text);
process.stdout.write(`wrote ${target} (${single.bytes.length} and ${shared.bytes.length} bytes, exports: ${WebAssembly.Module.exports(new WebAssembly.Module(single.bytes)).map((e) => e.name).join(', ')})\n`);
