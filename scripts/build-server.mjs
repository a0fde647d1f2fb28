/**
 * Bundles the hall server (hall-server/src/cli.ts with protocol and drivers) into
 * hall-server/dist/cli.js, which `npm start` runs: plain JavaScript needs no TypeScript loader
 * at run time (~35 MB less memory, faster start). npm dependencies stay external. Run by
 * `postinstall` and `prestart`; skipped when the bundle is newer than every source file.
 *   node scripts/build-server.mjs [--force]
 */
import { build } from 'esbuild';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

const t0 = performance.now();
try {
  await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    external: [...external].flatMap((n) => [n, `${n}/*`]),
    // Bundled CommonJS helpers may call require(); give ESM one.
    banner: { js: "import { createRequire as __hallRequire } from 'node:module'; const require = __hallRequire(import.meta.url);" },
    logLevel: 'warning',
  });
} catch {
  process.exit(1);
}
console.log(`build-server: hall-server built in ${((performance.now() - t0) / 1000).toFixed(1)} s (hall-server/dist/cli.js)`);
