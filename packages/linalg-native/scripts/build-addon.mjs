#!/usr/bin/env node
/**
 * Builds the native addon `build/Release/linalg_native.node` with node-gyp (OpenBLAS + LAPACKE,
 * see `binding.gyp`). It is the package's `install` script and the second half of its `build`.
 *
 * The addon is optional: on ANY failure this script prints one line saying why, writes the reason
 * to `build/unavailable.txt` (read by `loadNativeBackend`) and exits with status 0, so installing
 * the workspace never fails because of it. On success it removes `build/unavailable.txt`.
 *
 * - node-gyp: the package's own (a devDependency in the workspace), else the one npm or pnpm names
 *   in `npm_config_node_gyp` while running lifecycle scripts.
 * - Node's headers: `npm_config_nodedir` when set; else the prefix of the running `node` when it
 *   holds `include/node/node_api.h` (Debian's `/usr`, the official tarballs); never a download.
 * - `LINALG_NATIVE_SKIP_BUILD=1` skips the build (the reason says so).
 * - Incremental: when `build/` was configured for the same Node and headers and `binding.gyp` has
 *   not changed since, only `node-gyp build` (make) runs; otherwise `node-gyp rebuild`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const buildDir = join(root, 'build');
const addon = join(buildDir, 'Release', 'linalg_native.node');
const unavailable = join(buildDir, 'unavailable.txt');
const log = join(buildDir, 'build-addon.log');
const stamp = join(buildDir, 'configured-for.txt');

/** Thrown for an expected failure: its message is the one-line reason. */
class Unavailable extends Error {}

/** The directory holding `include/node/node_api.h` for node-gyp's `--nodedir`. */
function findNodeDir() {
  const fromEnv = process.env.npm_config_nodedir;
  if (fromEnv) return fromEnv;
  for (const prefix of [dirname(dirname(process.execPath)), '/usr', '/usr/local']) {
    if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  }
  throw new Unavailable(
    `Node's headers (include/node/node_api.h) are not next to ${process.execPath}; set npm_config_nodedir to the directory that holds include/node`,
  );
}

/** The node-gyp entry script to run with this Node. */
function findNodeGyp(require) {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const fromEnv = process.env.npm_config_node_gyp;
    if (fromEnv && existsSync(fromEnv)) return fromEnv;
  }
  throw new Unavailable('node-gyp is not installed (neither a dependency of the package nor npm_config_node_gyp)');
}

/** On Linux, the headers the sources include, looked up where Debian and pkg-config put them. */
function checkLinuxHeaders() {
  if (process.platform !== 'linux') return;
  const dirs = ['/usr/include', '/usr/local/include', `/usr/include/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`];
  const pkg = spawnSync('pkg-config', ['--cflags-only-I', 'openblas', 'lapacke'], { encoding: 'utf8' });
  if (pkg.status === 0) for (const flag of pkg.stdout.trim().split(/\s+/)) if (flag.startsWith('-I')) dirs.push(flag.slice(2));
  const missing = ['cblas.h', 'lapacke.h'].filter((h) => !dirs.some((d) => existsSync(join(d, h))));
  if (missing.length > 0) {
    throw new Unavailable(`${missing.join(' and ')} not found: install OpenBLAS and LAPACKE (Debian: apt-get install libopenblas-dev liblapacke-dev)`);
  }
}

/** The first line of the build output that says what went wrong. */
function firstError(output) {
  const lines = output.split('\n').map((l) => l.trim());
  const line =
    lines.find((l) => /fatal error|\berror:|cannot find -l|undefined reference/.test(l)) ??
    lines.find((l) => /^gyp: /.test(l)) ??
    lines.find((l) => /^gyp ERR! stack Error/.test(l)) ??
    lines.find((l) => /ERR!/.test(l)) ??
    'see the log';
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

function build() {
  if (process.env.LINALG_NATIVE_SKIP_BUILD) throw new Unavailable('the build was skipped (LINALG_NATIVE_SKIP_BUILD is set)');
  const require = createRequire(join(root, 'package.json'));
  try {
    require.resolve('node-addon-api');
  } catch {
    throw new Unavailable('node-addon-api is not installed (run pnpm install)');
  }
  const nodeGyp = findNodeGyp(require);
  const nodeDir = findNodeDir();
  checkLinuxHeaders();

  const configuredFor = `${process.version} ${process.arch} ${nodeDir}`;
  const upToDate =
    existsSync(stamp) &&
    existsSync(join(buildDir, 'Makefile')) &&
    readFileSync(stamp, 'utf8') === configuredFor &&
    statSync(join(root, 'binding.gyp')).mtimeMs <= statSync(stamp).mtimeMs;
  const command = upToDate ? 'build' : 'rebuild';
  const run = spawnSync(process.execPath, [nodeGyp, command, `--nodedir=${nodeDir}`, '--jobs=max'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_nodedir: nodeDir },
    maxBuffer: 64 * 1024 * 1024,
  });
  mkdirSync(buildDir, { recursive: true });
  const output = `$ node-gyp ${command} --nodedir=${nodeDir}\n${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`;
  writeFileSync(log, output);
  if (run.status !== 0 || !existsSync(addon)) {
    throw new Unavailable(`node-gyp ${command} failed: ${firstError(output)} (log: build/build-addon.log)`);
  }
  writeFileSync(stamp, configuredFor);

  // Load it once in a child process: a missing shared library shows here, not at first use.
  const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)}).getThreads()`], { encoding: 'utf8' });
  if (check.status !== 0) {
    const line = (check.stderr || check.stdout || '').split('\n').find((l) => /Error|error/.test(l)) ?? `exit status ${check.status}`;
    throw new Unavailable(`the addon was built but does not load: ${line.trim()}`);
  }
  rmSync(unavailable, { force: true });
}

try {
  build();
  console.log(`linalg-native: built ${join('build', 'Release', 'linalg_native.node')}`);
} catch (error) {
  const reason = error instanceof Unavailable ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  try {
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(unavailable, `${reason}\n`);
    rmSync(addon, { force: true });
  } catch {
    // Nothing more to do: the reason is printed below.
  }
  console.warn(`linalg-native: native addon not built (optional): ${reason}`);
}
process.exitCode = 0;
