/**
 * What a release needs besides JavaScript: the Node.js runtime and each package's native binary,
 * for one platform. Shared by `scripts/package.mjs` (which copies them) and
 * `scripts/platform-natives.mjs` (which fetches or builds another platform's into a folder).
 *
 * Native packages come in three kinds, told apart from what is installed:
 * - `platform-package`: one optional npm package per platform (napi-rs style: usb,
 *   @napi-rs/canvas); another platform's is fetched from the npm registry;
 * - `prebuilds`: binaries for every platform inside the package (node-gyp-build: serialport,
 *   node-hid); nothing to fetch;
 * - `compiled`: a binding.gyp with no prebuilds (better-sqlite3): only this machine's binary is
 *   installed; another platform's is compiled (a cross compiler) or built on that platform.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = `${process.platform}-${process.arch}`;
/** Platform names as people say them → Node's `platform-arch`. */
export const PLATFORMS = { 'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'win-x64': 'win32-x64', 'win32-x64': 'win32-x64' };
/** `win32-x64` → `win-x64` (archive names, the node-<platform> npm package). */
export const shortName = (target) => target.replace(/^win32-/, 'win-');
const PLATFORM_PKG = /(?:linux|win32|darwin|android)-(?:x64|arm64|arm|ia32|riscv64)/;

/** Node's lookup: <dir>/node_modules/<dep>, then each parent folder up to the checkout. */
export function resolvePkg(fromDir, dep) {
  for (let d = fromDir; ; d = dirname(d)) {
    const p = join(d, 'node_modules', dep);
    if (existsSync(join(p, 'package.json'))) return p;
    if (d === ROOT || dirname(d) === d) return null;
  }
}

export const readPkg = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/**
 * The folders of the packages the bundle leaves external and everything they need, installed
 * here. Per-platform optional packages are left out: `nativeParts` names the target's.
 */
export function packageClosure() {
  const copied = new Set();
  const queue = [];
  for (const w of ['protocol', 'drivers', 'hall-server']) {
    for (const dep of Object.keys(readPkg(join(ROOT, w)).dependencies ?? {})) {
      if (dep.startsWith('@hall/')) continue;
      const p = resolvePkg(join(ROOT, w), dep);
      if (!p) throw new Error(`${dep} (needed by ${w}) is not installed: run npm install`);
      queue.push(p);
    }
  }
  while (queue.length > 0) {
    const dir = queue.pop();
    if (copied.has(dir)) continue;
    copied.add(dir);
    const pkg = readPkg(dir);
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const p = resolvePkg(dir, dep);
      if (!p) throw new Error(`${dep} (needed by ${relative(ROOT, dir)}) is not installed`);
      queue.push(p);
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      if (PLATFORM_PKG.test(dep)) continue; // a platform binary: nativeParts
      const p = resolvePkg(dir, dep);
      if (p) queue.push(p);
    }
  }
  return copied;
}

/**
 * Each native part of the closure for `target`, with where it comes from and where it lands in
 * the archive's app folder (`dest`, relative). `natives`: a folder prepared by
 * scripts/platform-natives.mjs for a target other than this machine.
 */
export function nativeParts(target, closure = packageClosure()) {
  const [os, arch] = target.split('-');
  const parts = [{ kind: 'runtime', id: `node@${process.version.slice(1)}`, npm: `node-${shortName(target)}@${process.version.slice(1)}`, file: os === 'win32' ? 'node/node.exe' : 'node/bin/node' }];
  for (const dir of [...closure].sort()) {
    const pkg = readPkg(dir);
    const id = `${pkg.name}@${pkg.version}`;
    const platformPkgs = Object.keys(pkg.optionalDependencies ?? {}).filter((d) => PLATFORM_PKG.test(d));
    if (platformPkgs.length > 0) {
      const want = platformPkgs.find((d) => d.includes(`${os}-${arch}`) && !d.includes('musl'));
      // Beside its parent, in the node_modules folder that holds it (`@scope/name` is two levels down).
      let nodeModules = dir;
      for (let i = 0; i < pkg.name.split('/').length; i++) nodeModules = dirname(nodeModules);
      parts.push({ kind: 'platform-package', id, pkgDir: dir, name: want ?? null, npm: want ? `${want}@${pkg.optionalDependencies[want]}` : null, dest: want ? relative(ROOT, join(nodeModules, want)) : null });
      continue;
    }
    const pre = join(dir, 'prebuilds');
    if (existsSync(pre)) {
      const has = [target, `HID-${target}`, `HID_hidraw-${target}`].some((d) => existsSync(join(pre, d)));
      parts.push({ kind: 'prebuilds', id, pkgDir: dir, present: has });
      continue;
    }
    if (existsSync(join(dir, 'binding.gyp'))) parts.push({ kind: 'compiled', id, pkgDir: dir, fetchesFromGitHub: Boolean(pkg.dependencies?.['prebuild-install']) });
  }
  return parts;
}

/** Where a part of `target` is in a natives folder, or null when it is not there. */
export function nativeFile(natives, part) {
  if (!natives) return null;
  const p =
    part.kind === 'runtime'
      ? join(natives, part.file)
      : part.kind === 'platform-package'
        ? part.name && join(natives, 'node_modules', part.name)
        : part.kind === 'compiled'
          ? join(natives, 'compiled', readPkg(part.pkgDir).name)
          : null;
  return p && existsSync(p) ? p : null;
}
