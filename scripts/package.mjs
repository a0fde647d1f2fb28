#!/usr/bin/env node
/**
 * `npm run package`: writes `release/hall-<version>-linux-x64.tar.gz`, one folder that runs
 * anywhere on linux-x64 with no npm, no registry and no repository:
 *
 * ```
 * hall-<version>-linux-x64/
 *   hall-server                 launcher: ./hall-server start | backup | restore | verify | …
 *   node/bin/node               the Node.js runtime this was built with (process.execPath)
 *   app/                        laid out as in the repository, so the bundle finds the UIs
 *     hall-server/dist/         the server bundle (scripts/build-server.mjs) and its workers
 *     kiosk-ui/dist/ display-ui/dist/ counter-ui/dist/   the built UIs
 *     node_modules/             the bundle's external packages and everything they need,
 *                               with their native bindings, copied from this checkout's
 *                               node_modules (nothing is downloaded)
 *   deploy/                     systemd unit, udev rules, kiosk launchers (deploy/README in docs/DEPLOYMENT.md)
 *   VERSION
 * ```
 *
 * The packages copied are those esbuild leaves external (the `dependencies` of protocol,
 * drivers and hall-server, as build-server.mjs computes them) and, transitively, their
 * `dependencies` and installed `optionalDependencies` (platform binaries), each resolved as
 * Node would from where it sits, and copied to the same place. Sources of native addons and
 * other platforms' prebuilt binaries are left out.
 *   node scripts/package.mjs [--out DIR] [--no-build] [--platform linux-x64|linux-arm64|win-x64]
 *
 * `--platform` names the machine the archive is for; it must be this machine's (an archive
 * carries the runtime and native binaries installed here). For another platform the script
 * lists, before building anything, each native part it would need and where that part comes
 * from, and exits 2: build on that platform instead (docs/DEPLOYMENT.md §1). On Windows the
 * runtime is `node\node.exe` and the launcher `hall-server.cmd` (written, not yet run there).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, 'release');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const platform = `${process.platform}-${process.arch}`;
/** Platform names as people say them → Node's `platform-arch`. */
const PLATFORMS = { 'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'win-x64': 'win32-x64', 'win32-x64': 'win32-x64' };
if (args.includes('--platform')) {
  const asked = args[args.indexOf('--platform') + 1];
  const target = PLATFORMS[asked];
  if (!target) {
    console.error(`package: --platform must be one of ${Object.keys(PLATFORMS).join(', ')}; got ${asked}`);
    process.exit(64);
  }
  if (target !== platform) {
    console.error(crossPlatformReport(target));
    process.exit(2);
  }
}
if (platform !== 'linux-x64') console.warn(`package: building on ${platform}; the archive is named for it`);
const name = `hall-${version}-${platform === 'win32-x64' ? 'win-x64' : platform}`;
const t0 = performance.now();

if (!args.includes('--no-build')) {
  execFileSync(process.execPath, [join(root, 'scripts/build-uis.mjs')], { stdio: 'inherit', cwd: root });
  execFileSync(process.execPath, [join(root, 'scripts/build-server.mjs')], { stdio: 'inherit', cwd: root });
}

mkdirSync(outDir, { recursive: true });
const stageRoot = join(outDir, `.stage-${process.pid}`);
const top = join(stageRoot, name);
const stage = join(top, 'app');
rmSync(stageRoot, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

try {
  // The built programs.
  for (const dir of ['hall-server/dist', 'kiosk-ui/dist', 'display-ui/dist', 'counter-ui/dist']) {
    if (!existsSync(join(root, dir))) throw new Error(`${dir} is missing: run npm run build`);
    cpSync(join(root, dir), join(stage, dir), { recursive: true, filter: (src) => !src.endsWith('.map') });
  }
  // The bundle is ESM in .js files: the nearest package.json must say so.
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ name: 'hall', version, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(stage, 'hall-server/package.json'), `${JSON.stringify({ name: '@hall/hall-server', version, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(top, 'VERSION'), `${version}\n`);

  // External packages and their closure.
  const copied = packageClosure();
  const skip = (pkgDir, src) => {
    const rel = relative(pkgDir, src);
    if (rel === '') return false;
    const first = rel.split(sep)[0];
    if (first === 'node_modules') return true; // nested packages are copied on their own when needed
    // Docs, source maps and TypeScript sources and types: nothing Node loads at run time.
    if (/\.(?:md|markdown|map|ts|mts|cts|tsbuildinfo)$/i.test(rel) || /(?:^|[\\/])(?:CHANGELOG|HISTORY)(?:\.[a-z]+)?$/i.test(rel)) return true;
    if (['src', 'deps', 'hidapi', 'test', 'tests', 'docs', 'example', 'examples', '.github'].includes(first) && existsSync(join(pkgDir, 'binding.gyp'))) return true;
    const posix = rel.split(sep).join('/');
    // Compiled addons: only the .node binaries under build/, not the objects and makefiles.
    if (first === 'build' && existsSync(join(pkgDir, 'binding.gyp'))) {
      if (/(?:^|\/)(?:obj\.target|\.deps|deps)(?:\/|$)/.test(posix)) return true;
      if (!statSync(src).isDirectory() && !posix.endsWith('.node')) return true;
    }
    // Prebuilt binaries for other platforms (node-gyp-build layout: prebuilds/<platform>-<arch>[/…], HID-<platform>-<arch>).
    const pre = /^prebuilds\/([^/]+)\//.exec(posix);
    if (pre && pre[1] !== platform && pre[1] !== `HID-${platform}`) return true;
    return false;
  };
  let packages = 0;
  for (const dir of [...copied].sort()) {
    cpSync(dir, join(stage, relative(root, dir)), { recursive: true, dereference: true, filter: (src) => !skip(dir, src) });
    packages++;
  }

  // The runtime it was built with.
  if (process.platform === 'win32') {
    mkdirSync(join(top, 'node'), { recursive: true });
    copyFileSync(process.execPath, join(top, 'node/node.exe'));
    writeFileSync(
      join(top, 'hall-server.cmd'),
      `@echo off\r\nrem Hall ${version}: runs the CLI with the Node.js runtime shipped beside it.\r\nrem   hall-server agent --hall URL --token T   (the kiosk agent; see DEPLOYMENT.md section 4)\r\nif not defined HALL_DATA_DIR set "HALL_DATA_DIR=%~dp0data"\r\n"%~dp0node\\node.exe" --max-semi-space-size=2 "%~dp0app\\hall-server\\dist\\cli.js" %*\r\n`,
    );
  } else {
    mkdirSync(join(top, 'node/bin'), { recursive: true });
    copyFileSync(process.execPath, join(top, 'node/bin/node'));
    chmodSync(join(top, 'node/bin/node'), 0o755);
  }

  // Launcher and deployment files.
  const launcher = `#!/bin/sh
# Hall ${version}: runs the CLI with the Node.js runtime shipped beside it.
#   ./hall-server start | agent | verify | repair | backup | restore | help
# HALL_DATA_DIR defaults to ./data beside this script (the service sets /var/lib/hall).
here=$(dirname "$(readlink -f "$0")")
export HALL_DATA_DIR="\${HALL_DATA_DIR:-$here/data}"
export MALLOC_ARENA_MAX="\${MALLOC_ARENA_MAX:-2}"
exec "$here/node/bin/node" --max-semi-space-size=2 "$here/app/hall-server/dist/cli.js" "$@"
`;
  writeFileSync(join(top, 'hall-server'), launcher, { mode: 0o755 });
  if (existsSync(join(root, 'deploy'))) cpSync(join(root, 'deploy'), join(top, 'deploy'), { recursive: true });
  if (existsSync(join(root, 'docs/70-hall-devices.rules'))) {
    mkdirSync(join(top, 'deploy'), { recursive: true });
    copyFileSync(join(root, 'docs/70-hall-devices.rules'), join(top, 'deploy/70-hall-devices.rules'));
  }
  if (existsSync(join(root, 'docs/DEPLOYMENT.md'))) copyFileSync(join(root, 'docs/DEPLOYMENT.md'), join(top, 'DEPLOYMENT.md'));

  const archive = join(outDir, `${name}.tar.gz`);
  const tmp = `${archive}.tmp`;
  // GNU tar's owner flags; Windows' bsdtar (tar.exe) has no such option and no owners to hide.
  const owner = process.platform === 'win32' ? [] : ['--owner=0', '--group=0', '--numeric-owner'];
  execFileSync('tar', [...owner, '-czf', tmp, '-C', stageRoot, name], { stdio: 'inherit' });
  renameSync(tmp, archive);
  const mb = (statSync(archive).size / 1024 / 1024).toFixed(1);
  console.log(`package: ${relative(process.cwd(), archive) || archive} (${mb} MB, ${packages} npm packages, node ${process.version}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  rmSync(stageRoot, { recursive: true, force: true });
}

/** Node's lookup: <dir>/node_modules/<dep>, then each parent folder up to the checkout. */
function resolvePkg(fromDir, dep) {
  for (let d = fromDir; ; d = dirname(d)) {
    const p = join(d, 'node_modules', dep);
    if (existsSync(join(p, 'package.json'))) return p;
    if (d === root || dirname(d) === d) return null;
  }
}

/** The folders of the packages the bundle leaves external and everything they need, installed here. */
function packageClosure() {
  const copied = new Set();
  const queue = [];
  for (const w of ['protocol', 'drivers', 'hall-server']) {
    const pkg = JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (dep.startsWith('@hall/')) continue;
      const p = resolvePkg(join(root, w), dep);
      if (!p) throw new Error(`${dep} (needed by ${w}) is not installed: run npm install`);
      queue.push(p);
    }
  }
  while (queue.length > 0) {
    const dir = queue.pop();
    if (copied.has(dir)) continue;
    copied.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const p = resolvePkg(dir, dep);
      if (!p) throw new Error(`${dep} (needed by ${relative(root, dir)}) is not installed`);
      queue.push(p);
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      const p = resolvePkg(dir, dep);
      if (p) queue.push(p); // another platform's binary is simply not installed
    }
  }
  return copied;
}

/**
 * Why an archive for `target` cannot be made on this machine: each native part of the closure
 * for that platform, found here or not, and where a missing one comes from. Computed from the
 * installed packages, so it stays true as dependencies change.
 */
function crossPlatformReport(target) {
  const [os, arch] = target.split('-');
  const missing = [];
  const found = [];
  const npmName = os === 'win32' ? `win-${arch}` : `${os}-${arch}`;
  missing.push(`Node.js ${process.version} for ${target}: the npm package node-${npmName}@${process.version.slice(1)} holds it (not fetched by this script)`);
  for (const dir of [...packageClosure()].sort()) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const id = `${pkg.name}@${pkg.version}`;
    // napi-rs style: one optional package per platform (…-win32-x64-msvc, …-linux-arm64-gnu).
    const platformPkgs = Object.keys(pkg.optionalDependencies ?? {}).filter((d) => /(?:linux|win32|darwin|android)-(?:x64|arm64|arm|ia32|riscv64)/.test(d));
    if (platformPkgs.length > 0) {
      const want = platformPkgs.find((d) => d.includes(`${os}-${arch}`) && !d.includes('musl'));
      if (!want) missing.push(`${id}: publishes no ${target} binary`);
      else if (resolvePkg(dir, want)) found.push(`${id}: ${want} installed`);
      else missing.push(`${id}: needs ${want}@${pkg.optionalDependencies[want]} from the npm registry (npm installs only this machine's platform package)`);
      continue;
    }
    // node-gyp-build style: prebuilt binaries for every platform inside the package.
    const pre = join(dir, 'prebuilds');
    if (existsSync(pre)) {
      const has = [target, `HID-${target}`, `HID_hidraw-${target}`].some((d) => existsSync(join(pre, d)));
      (has ? found : missing).push(`${id}: prebuilds/${target} ${has ? 'in the package' : 'missing from the package'}`);
      continue;
    }
    // Compiled at install (binding.gyp) with no prebuilds inside: only this machine's binary exists.
    if (existsSync(join(dir, 'binding.gyp'))) {
      const how = pkg.dependencies?.['prebuild-install'] ? 'prebuild-install downloads it from the project\'s GitHub releases (not reachable from this build machine) or node-gyp compiles it' : 'node-gyp compiles it';
      missing.push(`${id}: only this machine's compiled binary is installed; on install ${how} for the machine it runs on`);
    }
  }
  return [
    `package: cannot build hall-${version}-${target === 'win32-x64' ? 'win-x64' : target} on ${platform}: an archive carries the runtime and native binaries of the machine it is built on.`,
    `Missing for ${target}:`,
    ...missing.map((m) => `  - ${m}`),
    ...(found.length > 0 ? ['Present:', ...found.map((m) => `  - ${m}`)] : []),
    `Build it on a ${target} machine with the repository: npm ci && npm run package (docs/DEPLOYMENT.md, section 1).`,
  ].join('\n');
}

