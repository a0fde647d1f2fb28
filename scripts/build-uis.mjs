#!/usr/bin/env node
/**
 * Builds the three browser UIs (kiosk-ui, display-ui, counter-ui) into `<app>/dist/` with
 * Vite's JS API, one after the other in this process.
 *
 * Run as the root `postinstall` and `prestart`: an app is skipped when its `dist/index.html` is
 * newer than every input (the app's src/, index.html, vite.config.ts, package.json and
 * protocol/src), so `npm start` after `npm install` does not rebuild. `--force` always builds.
 * Prints one line per app; exits non-zero when a build fails.
 */
import { readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const APPS = ['kiosk-ui', 'display-ui', 'counter-ui'];
const force = process.argv.includes('--force');

/** Newest mtime (ms) of a file or of every file under a folder; 0 when absent. */
function newestMtime(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function isFresh(appDir) {
  const built = join(appDir, 'dist', 'index.html');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(appDir, p));
  inputs.push(join(root, 'protocol', 'src'));
  return inputs.every((p) => newestMtime(p) < builtAt);
}

let vite;
async function loadVite() {
  if (!vite) {
    try {
      vite = await import('vite');
    } catch (err) {
      throw new Error(`vite is not installed (were dev dependencies omitted?): ${err instanceof Error ? err.message : err}`);
    }
  }
  return vite;
}

let failed = 0;
for (const app of APPS) {
  const appDir = join(root, app);
  if (!force && isFresh(appDir)) {
    console.log(`build-uis: ${app} up to date (${relative(root, join(appDir, 'dist'))})`);
    continue;
  }
  const started = Date.now();
  try {
    const { build } = await loadVite();
    await build({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'silent', mode: 'production' });
    console.log(`build-uis: ${app} built in ${((Date.now() - started) / 1000).toFixed(1)} s (${relative(root, join(appDir, 'dist'))})`);
  } catch (err) {
    failed++;
    console.error(`build-uis: ${app} FAILED: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
