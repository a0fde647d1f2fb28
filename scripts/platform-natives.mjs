#!/usr/bin/env node
/**
 * `node scripts/platform-natives.mjs linux-arm64 [--out DIR]`: gathers another platform's native
 * parts into DIR (default release/natives/<platform>) so `npm run package -- --platform
 * <platform>` can build its archive on this machine (docs/DEPLOYMENT.md §1):
 *
 *   node/bin/node (node/node.exe)        the Node.js runtime of this version: npm package node-<platform>
 *   node_modules/<platform package>/     usb's and @napi-rs/canvas's binaries: their npm packages
 *   compiled/better-sqlite3/build/Release/better_sqlite3.node
 *                                        compiled here with a cross compiler (linux-arm64:
 *                                        apt-get install g++-aarch64-linux-gnu) against the
 *                                        runtime's own headers
 *   natives.json                         what each part is and where it came from
 *
 * Only the npm registry (through npm itself) and the local compiler are used. Parts that cannot
 * be made here (a win32-x64 native compile needs Windows' compiler) are named, and the script
 * exits 2 after gathering the rest.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HOST, PLATFORMS, ROOT, nativeParts, readPkg, shortName } from './package-natives.mjs';

const args = process.argv.slice(2);
const target = PLATFORMS[args[0]];
if (!target) {
  console.error(`usage: node scripts/platform-natives.mjs ${Object.keys(PLATFORMS).join('|')} [--out DIR]`);
  process.exit(64);
}
if (target === HOST) {
  console.error(`platform-natives: ${target} is this machine: npm run package takes its parts from node_modules`);
  process.exit(64);
}
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(ROOT, 'release', 'natives', shortName(target));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'hall-natives-'));
const made = [];
const missing = [];

/** `npm pack <spec>` into the work folder, unpacked: the package folder. */
function fetchPackage(spec) {
  const dir = mkdtempSync(join(work, 'pkg-'));
  const file = execFileSync(npm, ['pack', spec, '--pack-destination', dir, '--silent'], { encoding: 'utf8', cwd: work }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', join(dir, file), '-C', dir]);
  return join(dir, 'package');
}

const CROSS = { 'linux-arm64': { prefix: 'aarch64-linux-gnu-', arch: 'arm64', apt: 'g++-aarch64-linux-gnu' } };

try {
  mkdirSync(out, { recursive: true });
  let runtimeDir = null;
  for (const part of nativeParts(target)) {
    if (part.kind === 'runtime') {
      runtimeDir = fetchPackage(part.npm);
      const bin = target.startsWith('win32') ? join(runtimeDir, 'bin', 'node.exe') : join(runtimeDir, 'bin', 'node');
      if (!existsSync(bin)) throw new Error(`${part.npm} has no ${bin.slice(runtimeDir.length + 1)}`);
      mkdirSync(join(out, part.file, '..'), { recursive: true });
      cpSync(bin, join(out, part.file));
      made.push({ part: part.id, from: `npm ${part.npm}` });
    } else if (part.kind === 'platform-package') {
      if (!part.npm) {
        missing.push(`${part.id}: publishes no ${target} binary`);
        continue;
      }
      const pkg = fetchPackage(part.npm);
      rmSync(join(out, 'node_modules', part.name), { recursive: true, force: true });
      mkdirSync(join(out, 'node_modules', part.name, '..'), { recursive: true });
      cpSync(pkg, join(out, 'node_modules', part.name), { recursive: true });
      made.push({ part: part.id, from: `npm ${part.npm}` });
    } else if (part.kind === 'prebuilds') {
      if (!part.present) missing.push(`${part.id}: no prebuilds/${target} inside the package`);
    } else if (part.kind === 'compiled') {
      const cross = CROSS[target];
      const name = readPkg(part.pkgDir).name;
      if (!cross) {
        missing.push(`${part.id}: compiled on install; no cross compiler for ${target} on ${HOST} (build the archive on ${target}: docs/DEPLOYMENT.md §1)`);
        continue;
      }
      try {
        execFileSync(`${cross.prefix}g++`, ['--version'], { stdio: 'ignore' });
      } catch {
        missing.push(`${part.id}: needs the ${target} cross compiler: apt-get install ${cross.apt}`);
        continue;
      }
      // A copy of the package's sources, compiled against the target runtime's own headers.
      const src = join(work, `compile-${name.replace('/', '-')}`);
      cpSync(part.pkgDir, src, { recursive: true, filter: (p) => !p.includes(`${join(part.pkgDir, 'build')}`) && !p.includes(join(part.pkgDir, 'node_modules')) });
      const gyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
      const env = { ...process.env, CC: `${cross.prefix}gcc`, CXX: `${cross.prefix}g++`, LINK: `${cross.prefix}g++`, AR: `${cross.prefix}ar` };
      console.log(`platform-natives: compiling ${part.id} for ${target} (a few minutes)`);
      execFileSync(process.execPath, [gyp, 'rebuild', '--release', `--arch=${cross.arch}`, `--nodedir=${runtimeDir}`, '-j', '2'], { cwd: src, env, stdio: ['ignore', 'ignore', 'inherit'] });
      const release = join(src, 'build', 'Release');
      const binaries = readdirSync(release).filter((f) => f.endsWith('.node') && !f.startsWith('test_'));
      rmSync(join(out, 'compiled', name), { recursive: true, force: true });
      mkdirSync(join(out, 'compiled', name, 'build', 'Release'), { recursive: true });
      for (const b of binaries) cpSync(join(release, b), join(out, 'compiled', name, 'build', 'Release', b));
      made.push({ part: part.id, from: `compiled with ${cross.prefix}g++ against node ${process.version} headers`, files: binaries });
    }
  }
  writeFileSync(join(out, 'natives.json'), `${JSON.stringify({ platform: target, node: process.version, parts: made, missing }, null, 2)}\n`);
  for (const m of made) console.log(`platform-natives: ${m.part} ← ${m.from}`);
  if (missing.length > 0) {
    console.error(`platform-natives: ${target} is incomplete:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    process.exitCode = 2;
  } else {
    console.log(`platform-natives: ${out} is complete: npm run package -- --platform ${shortName(target)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
