/**
 * The CLI side of `hall-server backup FILE [DATA_DIR] [--no-sessions]` and
 * `hall-server restore FILE [DATA_DIR]`: parse the arguments, run, print a short report, and
 * return the exit status (0, or a BackupError's stable code: backup-error.ts).
 */
import { BackupError } from './backup-error';
import { createBackup } from './backup';
import { restoreBackup } from './restore';

export interface BackupCommandContext {
  /** The data folder when none is named (HALL_DATA_DIR or the default). */
  defaultDataDir: string;
  hallVersion: string;
  now: () => number;
  out: (text: string) => void;
  err: (text: string) => void;
}

function positional(args: string[]): { files: string[]; flags: Set<string> } {
  const files: string[] = [];
  const flags = new Set<string>();
  for (const a of args) {
    if (a.startsWith('--')) flags.add(a);
    else files.push(a);
  }
  return { files, flags };
}

function report(e: unknown, ctx: BackupCommandContext): number {
  if (e instanceof BackupError) {
    ctx.err(`hall-server: [${e.code}] ${e.message}\n`);
    return e.exitCode;
  }
  throw e;
}

export async function runBackupCommand(args: string[], ctx: BackupCommandContext): Promise<number> {
  const { files, flags } = positional(args);
  const unknown = [...flags].filter((f) => f !== '--no-sessions');
  if (files.length < 1 || files.length > 2 || unknown.length > 0) {
    ctx.err('usage: hall-server backup FILE [DATA_DIR] [--no-sessions]\n');
    return 64;
  }
  try {
    const r = await createBackup({
      file: files[0]!,
      dataDir: files[1] ?? ctx.defaultDataDir,
      hallVersion: ctx.hallVersion,
      now: ctx.now(),
      includeSessions: !flags.has('--no-sessions'),
    });
    const m = r.manifest;
    ctx.out(
      `备份完成 / backup written: ${r.file}\n` +
        `  hall ${m.hall.id} ${m.hall.name}, ${m.files.length} files, ${r.bytes} bytes\n` +
        `  journal: ${m.journal.files} day files, ${m.journal.records} records up to seq ${m.journal.lastSeq ?? 0}, chain verified\n`,
    );
    return 0;
  } catch (e) {
    return report(e, ctx);
  }
}

export async function runRestoreCommand(args: string[], ctx: BackupCommandContext): Promise<number> {
  const { files, flags } = positional(args);
  if (files.length < 1 || files.length > 2 || flags.size > 0) {
    ctx.err('usage: hall-server restore FILE [DATA_DIR]\n');
    return 64;
  }
  try {
    const r = await restoreBackup({ file: files[0]!, dataDir: files[1] ?? ctx.defaultDataDir });
    const m = r.manifest;
    ctx.out(
      `恢复完成 / restored into ${r.dataDir}\n` +
        `  hall ${m.hall.id} ${m.hall.name}, backup of ${m.createdAt}, ${m.files.length} files, journal up to seq ${m.journal.lastSeq ?? 0} (chain verified)\n` +
        `  启动服务即可 / start the server on this folder (HALL_DATA_DIR=${r.dataDir}); the read model is rebuilt from the journal.\n`,
    );
    return 0;
  } catch (e) {
    return report(e, ctx);
  }
}
