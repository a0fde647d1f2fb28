/**
 * Expected failures of `hall-server backup` and `restore`: a stable code for scripts and logs,
 * the process exit status the CLI returns for it, and a message in plain Chinese, then English.
 */
export const BACKUP_EXIT_CODES = {
  /** The data folder holds no hall (no config.json). */
  'BACKUP.NOT_A_HALL': 10,
  /** The backup file already exists; nothing is overwritten. */
  'BACKUP.OUTPUT_EXISTS': 11,
  /** The hall's own journal (or config) fails verification; no archive is written. */
  'BACKUP.SOURCE_DAMAGED': 12,
  /** The archive to restore does not exist or cannot be read. */
  'RESTORE.NOT_FOUND': 20,
  /** The file is not a Hall backup (not gzip, not tar, no Hall manifest). */
  'RESTORE.FOREIGN': 21,
  /** A Hall backup that is damaged or was changed: checksum, size, missing or extra file, broken chain. */
  'RESTORE.DAMAGED': 22,
  /** Written by a newer Hall in a backup format this one cannot read. */
  'RESTORE.NEWER_FORMAT': 23,
  /** The target data folder is not empty; a restore never mixes with or replaces a hall. */
  'RESTORE.TARGET_NOT_EMPTY': 24,
} as const;

export type BackupErrorCode = keyof typeof BACKUP_EXIT_CODES;

export class BackupError extends Error {
  override name = 'BackupError';
  readonly code: BackupErrorCode;
  constructor(code: BackupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  get exitCode(): number {
    return BACKUP_EXIT_CODES[this.code];
  }
}
