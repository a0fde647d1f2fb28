/**
 * Before a server starts on a data folder (issue 17 item 5): refuse a folder written by a newer
 * Hall, and back the folder up before this Hall migrates an older one.
 *
 * - `hall-data.json` (`{ "format": 1, "writtenBy": "<version>" }`) records the data folder's
 *   layout version and the last program version that started on it. A folder whose format is
 *   newer than this build's is refused (UpgradeError), with what to do.
 * - `config.json`'s own `version` (config/migrations.ts migrates it at start): newer is refused
 *   here too, with the same advice; older means the start will migrate it, so a backup
 *   (backup.ts) is written first, to `backupDir` (HALL_BACKUP_DIR) or else to
 *   `<data>/upgrade-backups/`, named `before-config-v<old>-<time>.tar.gz`.
 * - The journal's line format and the read model carry no version of their own yet: the journal
 *   format has not changed, and the read model is rebuilt from the journal (`hall-server reindex`).
 *
 * Nothing is written when the start is refused.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_VERSION } from '@hall/protocol';
import { writeFileDurably, isErrno } from '../durable-fs';
import { createBackup } from './backup';

export const DATA_FORMAT_FILE = 'hall-data.json';
/** The data folder layout this build writes and reads. */
export const DATA_FORMAT = 1;

export class UpgradeError extends Error {
  override name = 'UpgradeError';
}

export interface PrepareOptions {
  dataDir: string;
  hallVersion: string;
  now: number;
  backupDir?: string | undefined;
  /** Overrides for tests: the versions this build reads. */
  configVersion?: number;
  dataFormat?: number;
}

export interface PrepareResult {
  /** The backup written before a migration, or null. */
  backup: string | null;
  /** Config version found (null for a new folder). */
  configFrom: number | null;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    if (e instanceof SyntaxError) return null; // left to the config store's own message
    throw e;
  }
}

function newerRefusal(what: string, found: number, reads: number, dataDir: string): UpgradeError {
  return new UpgradeError(
    `${dataDir} 的${what}是第 ${found} 版，由较新版本的大厅系统写成；本程序只能读到第 ${reads} 版。请安装那个较新版本，或从旧版本时的备份恢复。\n` +
      `${dataDir}: ${what === '数据格式' ? 'data format' : 'config.json'} version ${found} was written by a newer Hall; this one reads up to version ${reads}. Install that newer version, or restore a backup made before it.`,
  );
}

export async function prepareDataFolder(o: PrepareOptions): Promise<PrepareResult> {
  const dataDir = path.resolve(o.dataDir);
  const configVersion = o.configVersion ?? CONFIG_VERSION;
  const dataFormat = o.dataFormat ?? DATA_FORMAT;

  const marker = (await readJson(path.join(dataDir, DATA_FORMAT_FILE))) as { format?: unknown; writtenBy?: unknown } | null | undefined;
  const format = typeof marker?.format === 'number' ? marker.format : null;
  if (format !== null && format > dataFormat) throw newerRefusal('数据格式', format, dataFormat, dataDir);

  const config = (await readJson(path.join(dataDir, 'config.json'))) as { version?: unknown } | null | undefined;
  const configFrom = typeof config?.version === 'number' ? config.version : null;
  if (configFrom !== null && configFrom > configVersion) throw newerRefusal('配置文件 config.json', configFrom, configVersion, dataDir);

  let backup: string | null = null;
  if (configFrom !== null && configFrom < configVersion) {
    const stamp = new Date(o.now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const dir = o.backupDir ? path.resolve(o.backupDir) : path.join(dataDir, 'upgrade-backups');
    backup = path.join(dir, `before-config-v${configFrom}-${stamp}.tar.gz`);
    // A failed backup stops the start: better no migration than one without a way back.
    try {
      await createBackup({ dataDir, file: backup, hallVersion: o.hallVersion, now: o.now });
    } catch (e) {
      throw new UpgradeError(
        `升级前的备份失败，配置未迁移，服务未启动：${(e as Error).message}
` +
          `The backup before migrating config.json from version ${configFrom} failed, so nothing was migrated and the server did not start: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  if (config !== undefined && (format !== dataFormat || marker?.writtenBy !== o.hallVersion)) {
    await writeFileDurably(path.join(dataDir, DATA_FORMAT_FILE), `${JSON.stringify({ format: dataFormat, writtenBy: o.hallVersion })}\n`, 0o600);
  }
  return { backup, configFrom };
}
