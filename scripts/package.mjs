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
 * `--platform` names the machine the archive is for (default this one). Another platform's
 * runtime and native binaries come from `--natives DIR` (default release/natives/<platform>),
 * which `node scripts/platform-natives.mjs <platform>` fills from the npm registry and a cross
 * compiler (package-natives.mjs says which part is which). When a part is missing, the script
 * lists each part, whether it is there and where it comes from, before building anything, and
 * exits 2 (docs/DEPLOYMENT.md §1). For Windows the runtime is `node\node.exe` and the launcher
 * `hall-server.cmd` (written, not yet run there). `--agent-only`: a compiled part that could
 * not be made (better-sqlite3 for win-x64 on Linux) is left out and the archive, named
 * `…-agent`, runs the kiosk agent only (`start` needs that binary; AGENT-ONLY.txt says so).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync, renameSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { HOST, PLATFORMS, ROOT as root, nativeFile, nativeParts, packageClosure, resolvePkg, shortName } from './package-natives.mjs';

const args = process.argv.slice(2);
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, 'release');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = rootPkg.version;
// The node flags of `npm start` (heap caps that keep the hall's RSS in budget): the packaged
// launchers run what `npm start` runs, read from its script so the two cannot drift apart.
const NODE_FLAGS = rootPkg.scripts.start.split(/\s+/).filter((w) => w.startsWith('--')).join(' ');
const asked = args.includes('--platform') ? args[args.indexOf('--platform') + 1] : shortName(HOST);
/** The platform the archive is for, as Node names it (`linux-arm64`, `win32-x64`). */
const platform = PLATFORMS[asked];
if (!platform) {
  console.error(`package: --platform must be one of ${Object.keys(PLATFORMS).join(', ')}; got ${asked}`);
  process.exit(64);
}
const foreign = platform !== HOST;
const natives = foreign ? (args.includes('--natives') ? args[args.indexOf('--natives') + 1] : join(root, 'release', 'natives', shortName(platform))) : null;
const closure = packageClosure();
const parts = nativeParts(platform, closure);
const agentOnly = args.includes('--agent-only');
/** Compiled parts an agent-only archive goes without (the agent never opens the read model). */
const leftOut = foreign && agentOnly ? parts.filter((p) => p.kind === 'compiled' && !nativeFile(natives, p)) : [];
if (foreign) {
  const report = crossPlatformReport(platform, parts.filter((p) => !leftOut.includes(p)), natives);
  if (report) {
    console.error(report);
    process.exit(2);
  }
}
const windows = platform.startsWith('win32');
const name = `hall-${version}-${shortName(platform)}${agentOnly ? '-agent' : ''}`;
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
  const copied = closure;
  /** Packages whose compiled binary comes from the natives folder, not from this checkout. */
  const compiledElsewhere = new Set(foreign ? parts.filter((p) => p.kind === 'compiled').map((p) => p.pkgDir) : []);
  const skip = (pkgDir, src) => {
    const rel = relative(pkgDir, src);
    if (rel === '') return false;
    const first = rel.split(sep)[0];
    if (first === 'node_modules') return true; // nested packages are copied on their own when needed
    // Docs, source maps and TypeScript sources and types: nothing Node loads at run time.
    if (/\.(?:md|markdown|map|ts|mts|cts|tsbuildinfo)$/i.test(rel) || /(?:^|[\\/])(?:CHANGELOG|HISTORY)(?:\.[a-z]+)?$/i.test(rel)) return true;
    if (['src', 'deps', 'hidapi', 'test', 'tests', 'docs', 'example', 'examples', '.github'].includes(first) && existsSync(join(pkgDir, 'binding.gyp'))) return true;
    const posix = rel.split(sep).join('/');
    // Compiled addons: only the .node binaries under build/, not the objects and makefiles;
    // none of this machine's when the archive is for another platform.
    if (first === 'build' && compiledElsewhere.has(pkgDir)) return true;
    if (first === 'build' && existsSync(join(pkgDir, 'binding.gyp'))) {
      if (/(?:^|\/)(?:obj\.target|\.deps|deps)(?:\/|$)/.test(posix)) return true;
      if (!statSync(src).isDirectory() && !posix.endsWith('.node')) return true;
    }
    // Prebuilt binaries for other platforms (node-gyp-build layout: prebuilds/<platform>-<arch>[/…];
    // node-hid's HID-<platform>-<arch> and, on Linux, the hidraw build it loads by default).
    const pre = /^prebuilds\/([^/]+)\//.exec(posix);
    if (pre && ![platform, `HID-${platform}`, `HID_hidraw-${platform}`].includes(pre[1])) return true;
    return false;
  };
  let packages = 0;
  for (const dir of [...copied].sort()) {
    cpSync(dir, join(stage, relative(root, dir)), { recursive: true, dereference: true, filter: (src) => !skip(dir, src) });
    packages++;
  }
  // Native parts: the platform's own package of each napi-style package, and for another
  // platform the compiled binaries from the natives folder.
  for (const part of parts) {
    if (part.kind === 'platform-package' && part.name) {
      const from = foreign ? nativeFile(natives, part) : resolvePkg(part.pkgDir, part.name);
      if (!from) throw new Error(`${part.id}: ${part.name} is not installed: run npm install`);
      cpSync(from, join(stage, part.dest), { recursive: true, dereference: true, filter: (src) => !/\.(?:md|map)$/i.test(src) });
      packages++;
    } else if (part.kind === 'compiled' && foreign && !leftOut.includes(part)) {
      cpSync(join(nativeFile(natives, part), 'build'), join(stage, relative(root, part.pkgDir), 'build'), { recursive: true });
    }
  }
  if (agentOnly) {
    const missingNote = leftOut.length > 0 ? `Left out, so \`hall-server start\` cannot run from it: ${leftOut.map((p) => `${p.id} (its ${platform} binary)`).join(', ')}.` : 'Nothing native was left out; the hall server itself is not meant to run from it.';
    writeFileSync(join(top, 'AGENT-ONLY.txt'), `This archive runs the kiosk agent: hall-server agent --hall URL --token T (DEPLOYMENT.md section 4).\n${missingNote}\nFor a hall server on ${platform}, build the full archive on a ${platform} machine: npm ci && npm run package.\n`);
  }

  // The runtime it was built with (or, for another platform, the same version of that platform's).
  const runtime = foreign ? nativeFile(natives, parts[0]) : process.execPath;
  if (windows) {
    mkdirSync(join(top, 'node'), { recursive: true });
    copyFileSync(runtime, join(top, 'node/node.exe'));
    writeFileSync(
      join(top, 'hall-server.cmd'),
      `@echo off\r\nrem Hall ${version}: runs the CLI with the Node.js runtime shipped beside it.\r\nrem   hall-server agent --hall URL --token T   (the kiosk agent; see DEPLOYMENT.md section 4)\r\nif not defined HALL_DATA_DIR set "HALL_DATA_DIR=%~dp0data"\r\n"%~dp0node\\node.exe" ${NODE_FLAGS} "%~dp0app\\hall-server\\dist\\cli.js" %*\r\n`,
    );
  } else {
    mkdirSync(join(top, 'node/bin'), { recursive: true });
    copyFileSync(runtime, join(top, 'node/bin/node'));
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
exec "$here/node/bin/node" ${NODE_FLAGS} "$here/app/hall-server/dist/cli.js" "$@"
`;
  // Windows gets hall-server.cmd (above) and no systemd or udev files.
  if (!windows) writeFileSync(join(top, 'hall-server'), launcher, { mode: 0o755 });
  if (!windows && existsSync(join(root, 'deploy'))) cpSync(join(root, 'deploy'), join(top, 'deploy'), { recursive: true });
  if (!windows && existsSync(join(root, 'docs/70-hall-devices.rules'))) {
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
  console.log(`package: ${relative(process.cwd(), archive) || archive} (${mb} MB, ${packages} npm packages, node ${process.version} ${platform}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  rmSync(stageRoot, { recursive: true, force: true });
}

/**
 * Null when every native part of `target` is in the natives folder (or inside the installed
 * packages); else what is missing, what is there and where each missing part comes from.
 */
function crossPlatformReport(target, parts, nativesDir) {
  const missing = [];
  const found = [];
  for (const part of parts) {
    if (part.kind === 'prebuilds') {
      (part.present ? found : missing).push(`${part.id}: prebuilds/${target} ${part.present ? 'in the package' : 'missing from the package'}`);
      continue;
    }
    const at = nativeFile(nativesDir, part);
    if (at) {
      found.push(`${part.id}: ${relative(root, at)}`);
      continue;
    }
    if (part.kind === 'runtime') missing.push(`Node.js ${process.version} for ${target}: the npm package ${part.npm}`);
    else if (part.kind === 'platform-package') missing.push(part.npm ? `${part.id}: the npm package ${part.npm} (npm installs only this machine's platform package)` : `${part.id}: publishes no ${target} binary`);
    else missing.push(`${part.id}: only this machine's compiled binary is installed; on install ${part.fetchesFromGitHub ? "prebuild-install downloads it from the project's GitHub releases (not reachable from this build machine) or node-gyp compiles it" : 'node-gyp compiles it'} for the machine it runs on; here only a cross compiler can make it`);
  }
  if (missing.length === 0) return null;
  const onlyCompiled = parts.filter((p) => p.kind === 'compiled' && !nativeFile(nativesDir, p));
  const agentHint =
    onlyCompiled.length > 0 && missing.length === onlyCompiled.length
      ? [`or, for kiosk agent PCs: --agent-only (leaves out ${onlyCompiled.map((p) => p.id).join(', ')}; the archive runs \`hall-server agent\` only)`]
      : [];
  return [
    `package: cannot build hall-${version}-${shortName(target)} on ${HOST} yet: an archive carries the runtime and native binaries of the platform it is for, and these are not in ${relative(process.cwd(), nativesDir) || nativesDir}.`,
    `Missing for ${target}:`,
    ...missing.map((m) => `  - ${m}`),
    ...(found.length > 0 ? ['Present:', ...found.map((m) => `  - ${m}`)] : []),
    `Gather them with: node scripts/platform-natives.mjs ${shortName(target)}   (npm registry; a cross compiler for compiled packages)`,
    ...agentHint,
    `or build it on a ${target} machine with the repository: npm ci && npm run package (docs/DEPLOYMENT.md, section 1).`,
  ].join('\n');
}
