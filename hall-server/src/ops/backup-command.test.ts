import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKUP_EXIT_CODES } from './backup-error';
import { runBackupCommand, runRestoreCommand } from './backup-command';

function ctx(dir: string) {
  const out = { text: '', err: '' };
  return { out, c: { defaultDataDir: dir, hallVersion: 't', now: () => 0, out: (t: string) => void (out.text += t), err: (t: string) => void (out.err += t) } };
}

describe('backup and restore commands', () => {
  it('return the stable exit code of each refusal and name its code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hall-backup-cmd-'));
    try {
      const a = ctx(join(dir, 'no-hall'));
      expect(await runBackupCommand([join(dir, 'b.tar.gz')], a.c)).toBe(BACKUP_EXIT_CODES['BACKUP.NOT_A_HALL']);
      expect(a.out.err).toMatch(/\[BACKUP\.NOT_A_HALL\]/);
      await writeFile(join(dir, 'x.txt'), 'hello');
      const b = ctx(join(dir, 'target'));
      expect(await runRestoreCommand([join(dir, 'x.txt')], b.c)).toBe(BACKUP_EXIT_CODES['RESTORE.FOREIGN']);
      expect(await runRestoreCommand([join(dir, 'missing.tar.gz')], b.c)).toBe(BACKUP_EXIT_CODES['RESTORE.NOT_FOUND']);
      expect(await runRestoreCommand([], b.c)).toBe(64);
      expect(await runBackupCommand(['f', '--bogus'], b.c)).toBe(64);
      expect(new Set(Object.values(BACKUP_EXIT_CODES)).size).toBe(Object.keys(BACKUP_EXIT_CODES).length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
