/**
 * Config file versions. `CONFIG_VERSION` (protocol) is what this build reads; an older file is
 * brought forward one version at a time by the migrations below, validated, backed up as
 * `config.v<old>.json.bak` and rewritten. Add a migration whenever CONFIG_VERSION goes up:
 * `{ from: 1, describe: '…', migrate: (old) => new }` takes a version-1 file to version 2.
 */
import { CONFIG_VERSION } from '@hall/protocol';
import { ConfigError } from './config-error';

export type RawConfig = Record<string, unknown>;

export interface ConfigMigration {
  /** The version this migration reads; it produces `from + 1`. */
  from: number;
  describe: string;
  /** Gets a private copy; may change it in place and return it. */
  migrate: (old: RawConfig) => RawConfig;
}

/** Empty while there has only been version 1. */
export const CONFIG_MIGRATIONS: readonly ConfigMigration[] = [];

export interface MigrationResult {
  config: RawConfig;
  /** The file's own version. */
  from: number;
  /** `describe` of each migration applied, in order. */
  applied: string[];
}

/**
 * Bring a raw (parsed, not yet validated) config up to `target`. Throws ConfigError when the
 * version is missing, newer than this build, or has no migration path.
 */
export function migrateConfig(
  raw: unknown,
  file = 'config.json',
  migrations: readonly ConfigMigration[] = CONFIG_MIGRATIONS,
  target: number = CONFIG_VERSION,
): MigrationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file}: the file must hold a JSON object`);
  }
  const version = (raw as RawConfig).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new ConfigError(`${file}: version: missing or not a whole number (this Hall writes version ${target})`, 'version');
  }
  if (version > target) {
    throw new ConfigError(
      `${file}: version: ${version} was written by a newer Hall; this one reads up to version ${target}. Update the program or restore a backup.`,
      'version',
    );
  }
  let config = raw as RawConfig;
  const applied: string[] = [];
  for (let v = version; v < target; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) throw new ConfigError(`${file}: version: no migration from version ${v} to ${v + 1}`, 'version');
    try {
      const next = step.migrate(structuredClone(config));
      next.version = v + 1;
      config = next;
    } catch (e) {
      throw new ConfigError(`${file}: version: migration from version ${v} failed: ${(e as Error).message}`, 'version', { cause: e });
    }
    applied.push(step.describe);
  }
  return { config, from: version, applied };
}
