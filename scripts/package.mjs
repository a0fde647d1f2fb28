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
 *   node scripts/package.mjs [--out DIR] [--no-build]
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
if (platform !== 'linux-x64') console.warn(`package: building on ${platform}; the archive is named for it`);
const name = `hall-${version}-${platform}`;
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
  const workspaces = ['protocol', 'drivers', 'hall-server'];
  const copied = new Set();
  const resolvePkg = (fromDir, dep) => {
    // Node's lookup: <dir>/node_modules/<dep>, then each parent folder up to the checkout.
    for (let d = fromDir; ; d = dirname(d)) {
      const p = join(d, 'node_modules', dep);
      if (existsSync(join(p, 'package.json'))) return p;
      if (d === root || dirname(d) === d) return null;
    }
  };
  const queue = [];
  for (const w of workspaces) {
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
  mkdirSync(join(top, 'node/bin'), { recursive: true });
  copyFileSync(process.execPath, join(top, 'node/bin/node'));
  chmodSync(join(top, 'node/bin/node'), 0o755);

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
  execFileSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '-czf', tmp, '-C', stageRoot, name], { stdio: 'inherit' });
  renameSync(tmp, archive);
  const mb = (statSync(archive).size / 1024 / 1024).toFixed(1);
  console.log(`package: ${relative(process.cwd(), archive) || archive} (${mb} MB, ${packages} npm packages, node ${process.version}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  rmSync(stageRoot, { recursive: true, force: true });
}
