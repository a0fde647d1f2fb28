/**
 * `data/config.json`: the hall, services, counters, users, terminals, devices and notices,
 * through lowdb 7 with the fsync'ing adapter. The file is validated on load (zod schema plus
 * the cross-reference checks); every update is validated whole before it is written, written
 * durably before it is visible, and updates run one at a time.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { HallConfig, describeZodError, fail, ok } from '@hall/protocol';
import type { Result } from '@hall/protocol';
import { ConfigError } from './config-error';
import { checkConfigIntegrity } from './config-integrity';
import type { ConfigIssue } from './config-integrity';
import { createDemoConfig } from './demo-config';
import { FsyncJsonFile, writeFileDurably } from './fsync-json-file';
import { CONFIG_MIGRATIONS, migrateConfig } from './migrations';
import { missingHallFile } from './data-folder';
import type { ConfigMigration } from './migrations';

export const CONFIG_FILE = 'config.json';

export interface ConfigStore {
  /** The current config, validated. Deep-frozen: change it through update(). */
  readonly data: HallConfig;
  /**
   * Applies `mutate` to a deep copy, validates the whole result (bad → PROTOCOL.INVALID_PAYLOAD
   * naming the field, nothing changed), writes it durably, then makes it current and tells the
   * listeners. Updates are serialised. A failed write rejects (and changes nothing).
   */
  update(mutate: (draft: HallConfig) => void): Promise<Result<HallConfig>>;
  /** Called after each successful update with the new config. Returns an unsubscribe function. */
  onChange(listener: (cfg: HallConfig) => void): () => void;
}

export interface OpenConfigOptions {
  /** Replaces the built-in migration list (tests). */
  migrations?: readonly ConfigMigration[];
  /** The folder holds a hall's journal: a missing file is refused, not replaced by the demo hall. */
  existingHall?: boolean;
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.map((k, n) => (typeof k === 'number' ? `[${k}]` : n === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** Schema and cross-reference check of a whole config. */
export function validateConfig(raw: unknown): { ok: true; value: HallConfig } | { ok: false; issue: ConfigIssue } {
  const parsed = HallConfig.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, issue: { field: first ? formatPath(first.path) : '', message: describeZodError(parsed.error) } };
  }
  const issue = checkConfigIntegrity(parsed.data);
  if (issue) return { ok: false, issue: { field: issue.field, message: `${issue.field}: ${issue.message}` } };
  return { ok: true, value: parsed.data };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

class LowConfigStore implements ConfigStore {
  readonly #db: Low<HallConfig>;
  readonly #listeners = new Set<(cfg: HallConfig) => void>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: Low<HallConfig>) {
    this.#db = db;
    deepFreeze(db.data);
  }

  get data(): HallConfig {
    return this.#db.data;
  }

  update(mutate: (draft: HallConfig) => void): Promise<Result<HallConfig>> {
    const run = this.#queue.then(() => this.#apply(mutate));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply(mutate: (draft: HallConfig) => void): Promise<Result<HallConfig>> {
    const draft = structuredClone(this.#db.data);
    const returned: unknown = mutate(draft);
    if (returned instanceof Promise) await returned;
    const checked = validateConfig(draft);
    if (!checked.ok) {
      return fail('PROTOCOL.INVALID_PAYLOAD', checked.issue.message, { field: checked.issue.field });
    }
    const next = deepFreeze(checked.value);
    const previous = this.#db.data;
    this.#db.data = next;
    try {
      await this.#db.write();
    } catch (e) {
      this.#db.data = previous;
      throw e;
    }
    for (const listener of this.#listeners) {
      try {
        listener(next);
      } catch {
        // A listener's failure must not undo or hide a durable change.
      }
    }
    return ok(next);
  }

  onChange(listener: (cfg: HallConfig) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

/**
 * Open `dataDir/config.json`. A missing file gets the demo hall (written durably), unless the
 * folder already holds a hall (`existingHall`): then it is a ConfigError. Bad JSON or a
 * schema violation throws a ConfigError naming the field; an older `version` is migrated (the
 * original kept as `config.v<N>.json.bak`) and written back.
 */
export async function openConfigStore(dataDir: string, options: OpenConfigOptions = {}): Promise<ConfigStore> {
  const file = path.join(dataDir, CONFIG_FILE);
  const cannotWrite = (e: unknown): ConfigError =>
    new ConfigError(`${CONFIG_FILE}: cannot write in ${dataDir}: ${(e as Error).message}`, undefined, { cause: e });
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (e) {
    throw cannotWrite(e);
  }
  const adapter = new FsyncJsonFile<HallConfig>(file);
  const raw: unknown = await adapter.read();
  const db = new Low<HallConfig>(adapter, createDemoConfig());
  if (raw === null) {
    if (options.existingHall) throw new ConfigError(missingHallFile(dataDir, CONFIG_FILE, 'Without it the hall would start again as the demo hall, with a new admin.'));
    await db.write().catch((e: unknown) => {
      throw cannotWrite(e);
    });
    return new LowConfigStore(db);
  }
  const migrated = migrateConfig(raw, CONFIG_FILE, options.migrations ?? CONFIG_MIGRATIONS);
  const checked = validateConfig(migrated.config);
  if (!checked.ok) {
    const note = migrated.applied.length > 0 ? ` (after migrating from version ${migrated.from})` : '';
    throw new ConfigError(`${CONFIG_FILE}${note}: ${checked.issue.message}`, checked.issue.field || undefined);
  }
  db.data = checked.value;
  if (migrated.applied.length > 0) {
    try {
      await writeFileDurably(path.join(dataDir, `config.v${migrated.from}.json.bak`), await readFile(file));
      await db.write();
    } catch (e) {
      throw cannotWrite(e);
    }
  }
  return new LowConfigStore(db);
}
