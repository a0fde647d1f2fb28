/**
 * Bundles the hall server (hall-server/src/cli.ts with protocol and drivers) into
 * hall-server/dist/cli.js, which `npm start` runs: plain JavaScript needs no TypeScript loader
 * at run time (~35 MB less memory, faster start). npm dependencies stay external, except
 * kysely: as ~300 small ES modules it costs ~19 MB of RSS where it loads, bundled ~3 MB.
 * Code splitting keeps an `await import()` lazy: what only the read model's thread, the XLSX
 * export or a CLI command needs is a chunk of its own that the hall's main thread never loads
 * (without it esbuild hoists their packages' imports into cli.js). Run by `postinstall` and
 * `prestart`; skipped when the bundle is newer than every source file.
 *   node scripts/build-server.mjs [--force]
 */
import { build } from 'esbuild';
import { readFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'hall-server/dist');
const entries = {
  cli: join(root, 'hall-server/src/cli.ts'),
  // Worker threads start from files beside cli.js (hall-server/src/read-model/start-worker.ts).
  'read-model-worker': join(root, 'hall-server/src/read-model/read-model-worker.ts'),
  'journal-reader-worker': join(root, 'hall-server/src/read-model/journal-reader-worker.ts'),
};
const outputs = Object.keys(entries).map((name) => join(outdir, `${name}.js`));
const packages = ['protocol', 'drivers', 'hall-server'];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const force = process.argv.includes('--force');
const sourcesAt = Math.max(...packages.map((p) => newestSource(join(root, p, 'src'))), ...packages.map((p) => statSync(join(root, p, 'package.json')).mtimeMs));
if (!force && outputs.every((out) => existsSync(out) && statSync(out).mtimeMs > sourcesAt)) {
  console.log('build-server: hall-server up to date (hall-server/dist/cli.js)');
  process.exit(0);
}

const external = new Set();
for (const p of packages) {
  const pkg = JSON.parse(readFileSync(join(root, p, 'package.json'), 'utf8'));
  for (const name of Object.keys(pkg.dependencies ?? {})) if (!name.startsWith('@hall/')) external.add(name);
}
/** Plain JavaScript with no files of its own to find at run time: cheaper bundled than loaded module by module. */
const bundled = new Set(['kysely']);

const t0 = performance.now();
try {
  const result = await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    external: [...external].filter((n) => !bundled.has(n)).flatMap((n) => [n, `${n}/*`]),
    // Bundled CommonJS helpers may call require(); give ESM one.
    banner: { js: "import { createRequire as __hallRequire } from 'node:module'; const require = __hallRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  pruneOldChunks(new Set(Object.keys(result.metafile.outputs).map((f) => basename(f))));
} catch {
  process.exit(1);
}
console.log(`build-server: hall-server built in ${((performance.now() - t0) / 1000).toFixed(1)} s (hall-server/dist/cli.js)`);

/**
 * Chunk names carry a content hash, so a rebuild leaves the previous chunks behind. They go once
 * they are an hour old: a server still running from the previous build (a test, a benchmark)
 * may yet import one of its lazy chunks.
 */
function pruneOldChunks(current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(outdir)) {
    if (current.has(name) || !/\.js(\.map)?$/.test(name)) continue;
    const p = join(outdir, name);
    if (statSync(p).mtimeMs < hourAgo) rmSync(p, { force: true });
  }
}
