#!/usr/bin/env node
// Assembles gpu-pack/ (git-ignored): everything a GPU machine without Node and without network
// needs to run the gpu benchmark suite, in one folder of about 30 MB:
//
//   node.xz              this machine's Node binary, xz-compressed
//   node_modules/webgpu  Dawn's Node bindings (index.js, package.json, dist/linux-x64/dawn.node)
//   debs/libvulkan1_*.deb  Debian's Vulkan loader (the GPU's Vulkan driver is the machine's own)
//   gpu-bench.mjs        tooling/gpu/gpu-bench.mjs bundled with the packages' sources (esbuild)
//   numpy_bench.py, torch_bench.py, run-on-gpu.sh
//
//   node tooling/gpu/pack.mjs [--out DIR]
//
// Then, on the GPU machine: bash gpu-pack/run-on-gpu.sh [--quick] (it writes into $OUT, or the
// folder itself). Nothing is downloaded at run time there; the loader's .deb comes from Debian's
// archive here (apt-get download), and pack fails with the reason when it cannot.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'gpu-pack') } } });
const out = resolve(values.out);

/** Fails with one line. */
function fail(message) {
  console.error(`pack: ${message}`);
  process.exit(2);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'debs'), { recursive: true });

// 1. Node, compressed.
const node = realpathSync(process.execPath);
writeFileSync(join(out, 'node.xz'), execFileSync('xz', ['-T2', '-6', '-c', node], { maxBuffer: 1 << 30 }));

// 2. Dawn's bindings, from the installed optional dependency of @shallowscape/webgpu.
let webgpuDir;
try {
  const requireFromWebgpu = createRequire(join(root, 'packages/webgpu/package.json'));
  webgpuDir = dirname(requireFromWebgpu.resolve('webgpu/package.json'));
} catch {
  fail("the optional package 'webgpu' is not installed (pnpm install)");
}
const target = join(out, 'node_modules/webgpu');
mkdirSync(join(target, 'dist/linux-x64'), { recursive: true });
for (const file of ['index.js', 'package.json', 'LICENSE.md']) copyFileSync(join(webgpuDir, file), join(target, file));
copyFileSync(join(webgpuDir, 'dist/linux-x64/dawn.node'), join(target, 'dist/linux-x64/dawn.node'));

// 3. Debian's Vulkan loader.
try {
  execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: join(out, 'debs'), stdio: ['ignore', 'ignore', 'pipe'] });
} catch (error) {
  fail(`apt-get download libvulkan1 failed (${String(error.stderr ?? error.message).trim().split('\n').pop()}); run apt-get update first`);
}

// 4. The benchmark, bundled from the sources.
const src = (p) => join(root, 'packages', p);
await build({
  entryPoints: [join(root, 'tooling/gpu/gpu-bench.mjs')],
  outfile: join(out, 'gpu-bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Dawn is loaded at run time from node_modules/webgpu beside the bundle; gpu.js's optional headless-gl is not shipped.
  external: ['webgpu', 'gl'],
  alias: {
    '@shallowscape/webgpu/node': src('webgpu/src/node.ts'),
    '@shallowscape/gpujs/node': src('gpujs/src/node.ts'),
    ...Object.fromEntries(['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments', 'webgpu', 'gpujs'].map((p) => [`@shallowscape/${p}`, src(`${p}/src/index.ts`)])),
  },
  // gpu.js is CommonJS and requires Node's modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

// 5. The reference scripts and the script that runs it all.
for (const file of ['numpy_bench.py', 'torch_bench.py']) copyFileSync(join(root, 'tooling/bench', file), join(out, file));
cpSync(join(root, 'tooling/gpu/run-on-gpu.sh'), join(out, 'run-on-gpu.sh'));

const total = readdirSync(out, { recursive: true }).reduce((sum, f) => {
  const s = statSync(join(out, f));
  return s.isFile() ? sum + s.size : sum;
}, 0);
console.log(`wrote ${out} (${(total / 2 ** 20).toFixed(1)} MiB)`);
