import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_VERSION, HallConfig } from '@hall/protocol';
import {
  ConfigError,
  FsyncJsonFile,
  createDemoConfig,
  loadKeyFile,
  migrateConfig,
  openConfigStore,
  validateConfig,
} from './index';
import type { ConfigMigration } from './index';

let dataDir: string;
beforeEach(async () => {
  dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'hall-config-')), 'data');
});
afterEach(async () => {
  await rm(path.dirname(dataDir), { recursive: true, force: true });
});

const configFile = (): string => path.join(dataDir, 'config.json');

async function writeConfig(value: unknown): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(configFile(), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

async function openError(options?: Parameters<typeof openConfigStore>[1]): Promise<ConfigError> {
  const err: unknown = await openConfigStore(dataDir, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

const HAS_CJK = /[\u4e00-\u9fff]/;

describe('demo hall', () => {
  const demo = createDemoConfig();

  it('validates against the schema and the cross-reference checks', () => {
    expect(HallConfig.safeParse(demo).success).toBe(true);
    expect(validateConfig(demo)).toEqual({ ok: true, value: demo });
    expect(demo.version).toBe(CONFIG_VERSION);
  });

  it('is a county hall with weekday hours, a lunch break and the 2026 calendar', () => {
    expect(demo.hall).toMatchObject({ name: '盱眙县政务服务中心', level: 'county', timezone: 'Asia/Shanghai' });
    expect(demo.hall.hours).toEqual({
      open: { start: '08:30', end: '17:30' },
      lunch: { start: '12:00', end: '13:30' },
      weekdays: [1, 2, 3, 4, 5],
      allDay: false,
    });
    expect(demo.hall.calendar.holidays).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-15', '2026-02-23', '2026-10-07']));
    expect(demo.hall.calendar.holidays).toHaveLength(33);
    expect(demo.hall.calendar.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('has 6-8 services from the township domains that issue tickets at every hour of every day', () => {
    expect(demo.services.length).toBeGreaterThanOrEqual(6);
    expect(demo.services.length).toBeLessThanOrEqual(8);
    expect(demo.services.map((s) => s.prefix)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].slice(0, demo.services.length));
    for (const s of demo.services) {
      expect(s.id).toMatch(/^svc-[a-z]+$/);
      expect(s.name).toMatch(HAS_CJK);
      expect(s.nameEn).toMatch(/^[A-Z][a-z ]+/);
      expect(s.ticketHours).toEqual({ open: { start: '00:00', end: '24:00' }, lunch: null, weekdays: [0, 1, 2, 3, 4, 5, 6], allDay: true });
      expect(s.materials.length).toBeGreaterThanOrEqual(3);
      for (const m of s.materials) expect(m).toMatch(HAS_CJK);
      expect(s.enabled).toBe(true);
    }
    expect(new Set(demo.services.map((s) => s.category))).toEqual(
      new Set(['社保', '计生', '农机', '土地管理', '市场监管', '村镇建设', '财政', '信访']),
    );
  });

  it('has 6-8 counters with Chinese names, 1-3 weighted services each, one serving several', () => {
    expect(demo.counters.length).toBeGreaterThanOrEqual(6);
    expect(demo.counters.length).toBeLessThanOrEqual(8);
    expect(demo.counters[0]).toMatchObject({ id: 'ctr-1', number: 1, name: '1号窗口 社保医保' });
    for (const c of demo.counters) {
      expect(c.name).toMatch(HAS_CJK);
      expect(c.services.length).toBeGreaterThanOrEqual(1);
      expect(c.services.length).toBeLessThanOrEqual(3);
    }
    expect(demo.counters.some((c) => c.services.length >= 3)).toBe(true);
    const served = new Set(demo.counters.flatMap((c) => c.services.map((l) => l.serviceId)));
    expect([...served].sort()).toEqual(demo.services.map((s) => s.id).sort());
  });

  it('has no users or terminals, and simulated devices on the first two counters', () => {
    expect(demo.users).toEqual([]);
    expect(demo.terminals).toEqual([]);
    expect(demo.devices.map((d) => d.id)).toEqual(['dev-led-1', 'dev-keypad-1', 'dev-eval-1', 'dev-led-2', 'dev-keypad-2', 'dev-eval-2']);
    for (const d of demo.devices) {
      expect(d.transport).toEqual({ type: 'simulated' });
      expect(d.profile).toBeNull();
      expect(d.name).toMatch(HAS_CJK);
    }
    expect(demo.devices.filter((d) => d.kind === 'led-board').map((d) => [d.attachedTo, d.address])).toEqual([
      [{ counterId: 'ctr-1' }, 1],
      [{ counterId: 'ctr-2' }, 2],
    ]);
  });

  it('is a fresh object each time', () => {
    const a = createDemoConfig();
    a.services.pop();
    expect(createDemoConfig().services).toHaveLength(demo.services.length);
  });
});

describe('openConfigStore', () => {
  it('writes the demo hall into an empty data folder, mode 0600, and reads it back', async () => {
    const store = await openConfigStore(dataDir);
    expect(store.data).toEqual(createDemoConfig());
    const onDisk = JSON.parse(await readFile(configFile(), 'utf8')) as unknown;
    expect(onDisk).toEqual(createDemoConfig());
    if (process.platform !== 'win32') expect((await stat(configFile())).mode & 0o777).toBe(0o600);
    expect(await readdir(dataDir)).toEqual(['config.json']);
    const again = await openConfigStore(dataDir);
    expect(again.data).toEqual(store.data);
  });

  it('reports bad JSON with file, line and column, never a bare SyntaxError', async () => {
    await writeConfig('{\n  "version": 1,\n  "hall": {,\n}');
    const err = await openError();
    expect(err.message).toMatch(/^config\.json: not valid JSON/);
    expect(err.message).toMatch(/line 3, column 12/);
    expect(err.field).toBeUndefined();
  });

  it('accepts a UTF-8 BOM (Windows Notepad)', async () => {
    await writeConfig('\ufeff' + JSON.stringify(createDemoConfig()));
    expect((await openConfigStore(dataDir)).data.hall.name).toBe('盱眙县政务服务中心');
  });

  it('names the field of a schema violation', async () => {
    const cfg = createDemoConfig() as unknown as { services: Array<Record<string, unknown>> };
    cfg.services[2]!.prefix = 'c1';
    await writeConfig(cfg);
    const err = await openError();
    expect(err.message).toBe('config.json: services[2].prefix: one or two capital letters');
    expect(err.field).toBe('services[2].prefix');
  });

  it('names the field of a missing section and of a wrong type', async () => {
    const { counters: _omit, ...rest } = createDemoConfig();
    await writeConfig(rest);
    expect((await openError()).field).toBe('counters');
    const cfg = createDemoConfig() as unknown as { hall: Record<string, unknown> };
    cfg.hall.level = 'province';
    await writeConfig(cfg);
    const err = await openError();
    expect(err.field).toBe('hall.level');
    expect(err.message).toMatch(/^config\.json: hall\.level: /);
  });

  it('names the field of a dangling reference or a duplicate', async () => {
    const cfg = createDemoConfig();
    cfg.counters[1]!.services[0]!.serviceId = 'svc-gone';
    await writeConfig(cfg);
    const err = await openError();
    expect(err.field).toBe('counters[1].services[0].serviceId');
    expect(err.message).toBe('config.json: counters[1].services[0].serviceId: no service with id "svc-gone"');

    const dup = createDemoConfig();
    dup.services[3]!.prefix = 'A';
    await writeConfig(dup);
    expect((await openError()).field).toBe('services[3].prefix');

    const dev = createDemoConfig();
    dev.devices[0]!.attachedTo = { terminalId: 'term-x' };
    await writeConfig(dev);
    expect((await openError()).field).toBe('devices[0].attachedTo.terminalId');
  });

  it('turns an unusable data folder into a ConfigError', async () => {
    await writeFile(dataDir, 'a file where the folder should be');
    expect((await openError()).message).toMatch(/^config\.json: cannot write in /);
  });

  it('rejects a file that is not an object', async () => {
    await writeConfig('[1,2]');
    expect((await openError()).message).toMatch(/must hold a JSON object/);
  });
});

describe('ConfigStore.update', () => {
  it('persists across reopen and tells listeners', async () => {
    const store = await openConfigStore(dataDir);
    const seen: string[] = [];
    const off = store.onChange((cfg) => seen.push(cfg.hall.name));
    const r = await store.update((d) => {
      d.hall.name = '马坝镇便民服务中心';
      d.hall.level = 'township';
    });
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.hall.name).toBe('马坝镇便民服务中心');
    expect(store.data.hall.name).toBe('马坝镇便民服务中心');
    expect(seen).toEqual(['马坝镇便民服务中心']);
    off();
    await store.update((d) => void (d.hall.name = '盱眙县政务服务中心'));
    expect(seen).toHaveLength(1);
    expect((await openConfigStore(dataDir)).data.hall.name).toBe('盱眙县政务服务中心');
    expect(await readdir(dataDir)).toEqual(['config.json']);
  });

  it('fills schema defaults in what it stores', async () => {
    const store = await openConfigStore(dataDir);
    const r = await store.update((d) => {
      d.notices.push({ id: 'notice-x', text: '今日系统演练' } as HallConfig['notices'][number]);
    });
    expect(r.ok).toBe(true);
    expect(store.data.notices.at(-1)).toEqual({ id: 'notice-x', text: '今日系统演练', zone: null });
  });

  it('rejects an invalid change with the field named, and changes nothing (memory, file, listeners)', async () => {
    const store = await openConfigStore(dataDir);
    const before = store.data;
    const bytes = await readFile(configFile());
    const mtime = (await stat(configFile())).mtimeMs;
    let told = 0;
    store.onChange(() => told++);
    const r = await store.update((d) => {
      d.hall.name = 'changed too';
      d.services[2]!.prefix = 'c1';
    });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'PROTOCOL.INVALID_PAYLOAD',
        message: 'services[2].prefix: one or two capital letters',
        details: { field: 'services[2].prefix' },
      },
    });
    const dangling = await store.update((d) => void d.services.splice(0, 1));
    expect(dangling.ok).toBe(false);
    expect(!dangling.ok && dangling.error.details).toEqual({ field: 'counters[0].services[0].serviceId' });
    expect(store.data).toBe(before);
    expect(store.data.hall.name).toBe('盱眙县政务服务中心');
    expect(await readFile(configFile())).toEqual(bytes);
    expect((await stat(configFile())).mtimeMs).toBe(mtime);
    expect(told).toBe(0);
  });

  it('accepts exactly the prefixes the schema allows (property)', async () => {
    const store = await openConfigStore(dataDir);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 3 }), async (prefix) => {
        const r = await store.update((d) => void (d.services[7]!.prefix = prefix));
        const taken = store.data.services.slice(0, 7).some((s) => s.prefix === prefix);
        expect(r.ok).toBe(/^[A-Z]{1,2}$/.test(prefix) && !taken);
        expect(store.data.services[7]!.prefix).toBe(r.ok ? prefix : store.data.services[7]!.prefix);
      }),
      { numRuns: 40 },
    );
  });

  it('serialises concurrent updates: each sees the one before', async () => {
    const store = await openConfigStore(dataDir);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.update(async (d) => {
          await new Promise((r) => setTimeout(r, 10 - i));
          d.notices.push({ id: `n-${i}`, text: `通知 ${i}`, zone: null });
        }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = store.data.notices.map((n) => n.id).filter((id) => id.startsWith('n-'));
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `n-${i}`));
    expect((await openConfigStore(dataDir)).data.notices).toEqual(store.data.notices);
  });

  it('hands out frozen data: changing it directly throws instead of silently not persisting', async () => {
    const store = await openConfigStore(dataDir);
    expect(() => {
      store.data.services.push(store.data.services[0]!);
    }).toThrow(TypeError);
    expect(() => {
      (store.data.hall as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('a throwing mutate or a failed write rejects and changes nothing; later updates still work', async () => {
    const store = await openConfigStore(dataDir);
    const before = store.data;
    await expect(
      store.update(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // Block the temp file name with a directory so the durable write fails.
    await mkdir(path.join(dataDir, '.config.json.tmp'));
    await expect(store.update((d) => void (d.hall.name = '写不进去'))).rejects.toThrow();
    expect(store.data).toBe(before);
    await rm(path.join(dataDir, '.config.json.tmp'), { recursive: true });
    const r = await store.update((d) => void (d.hall.name = '写得进去'));
    expect(r.ok).toBe(true);
    expect((await openConfigStore(dataDir)).data.hall.name).toBe('写得进去');
  });
});

describe('migrations', () => {
  /** A pretend version 0 where the hall's name was called `title`. */
  const fakeV0 = (): Record<string, unknown> => {
    const cfg = createDemoConfig() as unknown as { version: number; hall: Record<string, unknown> };
    cfg.version = 0;
    cfg.hall.title = cfg.hall.name;
    delete cfg.hall.name;
    return cfg as unknown as Record<string, unknown>;
  };
  const renameTitle: ConfigMigration = {
    from: 0,
    describe: 'hall.title → hall.name',
    migrate: (old) => {
      const hall = old.hall as Record<string, unknown>;
      hall.name = hall.title;
      delete hall.title;
      return old;
    },
  };

  it('brings an older file forward, keeps the original as a backup, and writes the new version', async () => {
    await writeConfig(fakeV0());
    const original = await readFile(configFile(), 'utf8');
    const store = await openConfigStore(dataDir, { migrations: [renameTitle] });
    expect(store.data.hall.name).toBe('盱眙县政务服务中心');
    expect(store.data.version).toBe(CONFIG_VERSION);
    expect(await readFile(path.join(dataDir, 'config.v0.json.bak'), 'utf8')).toBe(original);
    const rewritten = JSON.parse(await readFile(configFile(), 'utf8')) as { version: number };
    expect(rewritten.version).toBe(CONFIG_VERSION);
    // Now current: opens with the built-in (empty) list.
    expect((await openConfigStore(dataDir)).data).toEqual(store.data);
  });

  it('without a migration path, an older version is a ConfigError naming `version`', async () => {
    await writeConfig(fakeV0());
    const err = await openError();
    expect(err.field).toBe('version');
    expect(err.message).toBe('config.json: version: no migration from version 0 to 1');
  });

  it('a migration that leaves the file invalid is reported with the field', async () => {
    await writeConfig(fakeV0());
    const err = await openError({ migrations: [{ from: 0, describe: 'forgets the name', migrate: (o) => o }] });
    expect(err.field).toBe('hall.name');
    expect(err.message).toMatch(/^config\.json \(after migrating from version 0\): hall\.name: /);
  });

  it('refuses a newer or a missing version', async () => {
    await writeConfig({ ...createDemoConfig(), version: CONFIG_VERSION + 1 });
    expect((await openError()).message).toMatch(/written by a newer Hall/);
    const { version: _v, ...noVersion } = createDemoConfig();
    await writeConfig(noVersion);
    expect((await openError()).field).toBe('version');
  });

  it('runs a chain of migrations in order', () => {
    const steps: ConfigMigration[] = [
      { from: 2, describe: 'two', migrate: (o) => ({ ...o, trail: [...(o.trail as string[]), 'two'] }) },
      { from: 1, describe: 'one', migrate: (o) => ({ ...o, trail: ['one'] }) },
    ];
    const r = migrateConfig({ version: 1 }, 'config.json', steps, 3);
    expect(r).toEqual({ config: { version: 3, trail: ['one', 'two'] }, from: 1, applied: ['one', 'two'] });
    expect(migrateConfig({ version: 3 }, 'config.json', steps, 3).applied).toEqual([]);
  });
});

describe('FsyncJsonFile', () => {
  it('reads null for a missing file, round-trips, serialises writes, leaves no temp file', async () => {
    await mkdir(dataDir, { recursive: true });
    const file = new FsyncJsonFile<{ n: number }>(path.join(dataDir, 'sessions.json'));
    expect(await file.read()).toBeNull();
    await Promise.all(Array.from({ length: 20 }, (_, n) => file.write({ n })));
    expect(await file.read()).toEqual({ n: 19 });
    expect(await readdir(dataDir)).toEqual(['sessions.json']);
  });

  it('turns bad JSON into a ConfigError naming the file', async () => {
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'sessions.json'), '{"a":');
    const file = new FsyncJsonFile(path.join(dataDir, 'sessions.json'));
    await expect(file.read()).rejects.toThrow(/^sessions\.json: not valid JSON/);
  });
});

describe('loadKeyFile', () => {
  it('creates a 32-byte key with mode 0600 once and returns the same key after', async () => {
    await mkdir(dataDir, { recursive: true });
    const [a, b] = await Promise.all([loadKeyFile(dataDir, 'id-hash'), loadKeyFile(dataDir, 'id-hash')]);
    expect(a).toHaveLength(32);
    expect(b).toEqual(a);
    expect(await loadKeyFile(dataDir, 'id-hash')).toEqual(a);
    expect(await readFile(path.join(dataDir, 'id-hash.key'))).toEqual(a);
    if (process.platform !== 'win32') expect((await stat(path.join(dataDir, 'id-hash.key'))).mode & 0o777).toBe(0o600);
    expect((await readdir(dataDir)).sort()).toEqual(['id-hash.key']);
    expect(await loadKeyFile(dataDir, 'other')).not.toEqual(a);
  });

  it('accepts a key restored as hex, refuses a damaged one, and refuses odd names', async () => {
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'restored.key'), `${'ab'.repeat(32)}\n`);
    expect(await loadKeyFile(dataDir, 'restored')).toEqual(Buffer.alloc(32, 0xab));
    await writeFile(path.join(dataDir, 'short.key'), Buffer.alloc(10));
    await expect(loadKeyFile(dataDir, 'short')).rejects.toThrow(ConfigError);
    await expect(loadKeyFile(dataDir, '../escape')).rejects.toThrow(RangeError);
  });
});
