import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInstaller, runInstallService } from './install-service';

describe('install-service', () => {
  it('finds deploy/install.sh at the repository root, and says so when there is none', async () => {
    const repo = resolve(import.meta.dirname, '../../..');
    expect(findInstaller(repo)).toBe(resolve(repo, 'deploy/install.sh'));
    let err = '';
    expect(await runInstallService([], '/nonexistent/app', (t) => (err += t))).toBe(66);
    expect(err).toMatch(/install\.sh/);
  });
});
