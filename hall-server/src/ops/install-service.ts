/**
 * `hall-server install-service [--kiosk URL]`: runs `deploy/install.sh` of this release (beside
 * `app/` in a release archive, or at the repository root) with the same arguments, so the
 * installer is found from the launcher alone. See docs/DEPLOYMENT.md §2–3.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The installer for a program whose bundle sits under `appRoot` (REPO_ROOT), or null. */
export function findInstaller(appRoot: string): string | null {
  for (const p of [path.join(appRoot, 'deploy', 'install.sh'), path.join(appRoot, '..', 'deploy', 'install.sh')]) if (existsSync(p)) return p;
  return null;
}

export function runInstallService(args: string[], appRoot: string, err: (t: string) => void): Promise<number> {
  const script = findInstaller(appRoot);
  if (!script) {
    err('hall-server: 找不到 deploy/install.sh（请在解压后的发布包中运行）/ deploy/install.sh not found: run this from an unpacked release\n');
    return Promise.resolve(66);
  }
  return new Promise((resolve) => {
    const child = spawn('sh', [script, ...args], { stdio: 'inherit' });
    child.once('error', (e) => {
      err(`hall-server: cannot run ${script}: ${e.message}\n`);
      resolve(69);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
