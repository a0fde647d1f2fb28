/**
 * 统一事项清单 on real halls over loopback: the county defines items (journalled set-up changes),
 * a township relays them, a village fetches them with its hall token, adopts one into a service,
 * sees the update the county makes and applies it; a restart offline keeps the copy; the county
 * compares the village's figures by catalogue code. Bad input of every kind: a code, nothing stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogueItem, CatalogueUpstreamStatus, CatalogueView, Service, StatsSummary } from '@hall/protocol';
import { readJournalLines } from './catalogue-support';
import { startTestHall, createStaff, makeTempDir, type TestHall } from './harness';

const halls: TestHall[] = [];
afterEach(async () => {
  for (const h of halls.splice(0)) await h.close();
});

/** Timers that never fire: the test fetches with `POST /api/catalogue/sync`. */
const manual = { timers: { setTimeout: () => 0, clearTimeout: () => undefined }, firstDelayMs: 60_000 };

async function hall(extra: Parameters<typeof startTestHall>[0] = {}): Promise<TestHall> {
  const h = await startTestHall({ catalogueSync: manual, ...extra });
  halls.push(h);
  return h;
}

/** Registers a downstream hall at `up` (the network's `POST /api/halls`): its id and hall token. */
async function register(up: TestHall, level: 'township' | 'village' = 'village'): Promise<{ id: string; token: string }> {
  const r = await up.api<{ id: string; token: string }>('POST', '/api/halls', { name: `${level}-${halls.indexOf(up)}`, level }, await up.login());
  expect(r.status).toBe(201);
  return r.body;
}

/** `down` gets `up` as its upstream with a freshly registered hall token; down's admin token and its id up there. */
async function linkTo(down: TestHall, up: TestHall, level: 'township' | 'village' = 'village'): Promise<{ admin: string; hallId: string; token: string }> {
  const reg = await register(up, level);
  const admin = await down.login();
  const r = await down.api('PATCH', '/api/hall', { upstream: { url: up.url, token: reg.token } }, admin);
  expect(r.status).toBe(200);
  return { admin, hallId: reg.id, token: reg.token };
}

const ITEM = { code: '320830-SB-001', name: '城乡居民养老保险参保登记', category: '社保', materials: ['居民身份证原件', '户口簿'], completionWorkingDays: 5 };

describe('catalogue at the upstream hall', () => {
  it('creates and versions items, journals each change, and refuses bad input with a code', async () => {
    const county = await hall();
    const admin = await county.login();
    const clerk = await createStaff(county, 'clerk1', 'clerk');

    const made = await county.api<CatalogueItem>('POST', '/api/catalogue', ITEM, admin);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ ...ITEM, version: 1, withdrawn: false, waitLimitMinutes: 30 });

    const bad: Array<[unknown, number, string]> = [
      [ITEM, 409, 'CONFIG.CONFLICT'],
      [{ ...ITEM, code: 'has space' }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
      [{ ...ITEM, code: 'X2', materials: [''] }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
      [{ ...ITEM, code: 'X3', version: 9 }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
      [{ code: 'X4' }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
      [[1, 2], 400, 'PROTOCOL.INVALID_PAYLOAD'],
    ];
    for (const [body, status, code] of bad) {
      const r = await county.api<{ error: { code: string } }>('POST', '/api/catalogue', body, admin);
      expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await county.api('POST', '/api/catalogue', { ...ITEM, code: 'C2' }, clerk.token)).status).toBe(403);
    expect((await county.api('POST', '/api/catalogue', { ...ITEM, code: 'C2' })).status).toBe(401);

    const patched = await county.api<CatalogueItem>('PATCH', `/api/catalogue/${ITEM.code}`, { materials: ['居民身份证原件'] }, admin);
    expect(patched.body).toMatchObject({ version: 2, materials: ['居民身份证原件'] });
    // The same change again changes nothing: no new version for an adopting hall to chase.
    expect((await county.api<CatalogueItem>('PATCH', `/api/catalogue/${ITEM.code}`, { materials: ['居民身份证原件'] }, admin)).body.version).toBe(2);
    expect((await county.api<{ error: { code: string } }>('PATCH', '/api/catalogue/NOPE', { name: 'x' }, admin)).body.error.code).toBe('CATALOGUE.NOT_FOUND');
    expect((await county.api('PATCH', `/api/catalogue/${ITEM.code}`, {}, admin)).status).toBe(400);
    expect((await county.api('PATCH', `/api/catalogue/${ITEM.code}`, { code: 'other' }, admin)).status).toBe(400);

    const view = await county.api<CatalogueView>('GET', '/api/catalogue', undefined, clerk.token);
    expect(view.body.upstream).toBeNull();
    expect(view.body.items.map((i) => [i.code, i.origin, i.version])).toEqual([[ITEM.code, 'local', 2]]);

    const audits = (await readJournalLines(county.dataDir)).filter((e) => e.type === 'audit.config-changed' && e.area === 'catalogue');
    expect(audits.map((e) => e.action)).toEqual(['create', 'update']);
  });

  it('serves the feed only to a hall token, and records what the hall reported', async () => {
    const county = await hall();
    const admin = await county.login();
    await county.api('POST', '/api/catalogue', ITEM, admin);
    const v1 = await register(county);
    const code = async (token: string | undefined, body: unknown = { services: [] }) => {
      const r = await county.api<{ error?: { code: string } }>('POST', '/api/catalogue/feed', body, token);
      return `${r.status} ${r.body.error?.code ?? ''}`.trim();
    };
    expect(await code(undefined)).toBe('401 AUTH.REQUIRED');
    expect(await code('wrong')).toBe('401 NETWORK.UNKNOWN_HALL');
    // A staff session is not a hall.
    expect(await code(admin)).toBe('401 NETWORK.UNKNOWN_HALL');
    expect(await code(v1.token, { services: [{ id: 'x' }] })).toBe('400 PROTOCOL.INVALID_PAYLOAD');
    expect(await code(v1.token, { services: [], extra: 1 })).toBe('400 PROTOCOL.INVALID_PAYLOAD');
    expect((await county.api('POST', '/api/catalogue/feed', undefined, v1.token)).status).toBe(400);
    const raw = async (body: string) => (await county.api<{ error: { code: string } }>('POST', '/api/catalogue/feed', undefined, v1.token, body)).body.error.code;
    expect(await raw('{"services": [')).toBe('PROTOCOL.INVALID_PAYLOAD');
    expect(await raw(JSON.stringify({ services: [], relayed: [], pad: 'x'.repeat(3 * 1024 * 1024) }))).toBe('PROTOCOL.PAYLOAD_TOO_LARGE');
    // Unknown tokens are refused before the body is read, however large.
    expect((await county.api<{ error: { code: string } }>('POST', '/api/catalogue/feed', undefined, 'wrong', 'x'.repeat(3 * 1024 * 1024))).body.error.code).toBe('NETWORK.UNKNOWN_HALL');
    expect(county.hall.catalogue.directory.halls().size).toBe(0);
    // A township passing on many villages' reports may exceed the API's usual 64 KiB.
    const big = Array.from({ length: 40 }, (_, i) => ({ hallId: `x${i}`, services: Array.from({ length: 30 }, (_, j) => ({ id: `s${j}`, name: `业务${j}`, catalogueCode: null })) }));
    expect(await code(v1.token, { services: [], relayed: big })).toBe('200');
    const feed = await county.api<{ hallId: string; items: CatalogueItem[] }>('POST', '/api/catalogue/feed', { services: [{ id: 's1', name: '养老', catalogueCode: ITEM.code }] }, v1.token);
    expect(feed.status).toBe(200);
    expect(feed.body.hallId).toBe(county.hall.config.data.hall.id);
    expect(feed.body.items.map((i) => i.code)).toEqual([ITEM.code]);
    expect(county.hall.catalogue.directory.halls().get(v1.id)).toEqual([{ id: 's1', name: '养老', catalogueCode: ITEM.code }]);
    // A hall reports for another only where it relays it: v1 relays nobody.
    const other = await register(county);
    expect((await county.api('POST', '/api/catalogue/feed', { services: [{ id: 's1', name: '养老', catalogueCode: ITEM.code }], relayed: [{ hallId: other.id, services: [{ id: 'forged', name: '伪造', catalogueCode: ITEM.code }] }] }, v1.token)).status).toBe(200);
    expect(county.hall.catalogue.directory.halls().get(other.id)).toBeUndefined();
    // A revoked hall is refused and what it reported stays as it was.
    expect((await county.api('DELETE', `/api/halls/${v1.id}`, undefined, admin)).status).toBeLessThan(300);
    expect(await code(v1.token, { services: [] })).toBe('401 NETWORK.TOKEN_REVOKED');
    expect(county.hall.catalogue.directory.halls().get(v1.id)).toHaveLength(1);
  });
});

describe('catalogue at a downstream hall', () => {
  it('fetches through a township, adopts an item, sees and applies its update, and compares by code', async () => {
    const county = await hall();
    const township = await hall();
    const village = await hall();
    const countyAdmin = await county.login();
    await county.api('POST', '/api/catalogue', ITEM, countyAdmin);
    const { admin: townAdmin } = await linkTo(township, county, 'township');
    const { admin: villageAdmin, hallId: villageId } = await linkTo(village, township);

    // Before any fetch the village knows nothing and says so.
    let view = await village.api<CatalogueView>('GET', '/api/catalogue', undefined, villageAdmin);
    expect(view.body.items).toEqual([]);
    expect(view.body.upstream).toMatchObject({ url: township.url, fetchedAt: null });

    // The township adds its own item; it relays the county's first.
    await township.api('POST', '/api/catalogue', { code: 'TOWN-01', name: '农机补贴申请', category: '农机' }, townAdmin);
    expect((await township.api<CatalogueUpstreamStatus>('POST', '/api/catalogue/sync', undefined, townAdmin)).body.error).toBeNull();
    const sync = await village.api<CatalogueUpstreamStatus>('POST', '/api/catalogue/sync', undefined, villageAdmin);
    expect(sync.body).toMatchObject({ error: null, hallId: township.hall.config.data.hall.id });
    view = await village.api<CatalogueView>('GET', '/api/catalogue', undefined, villageAdmin);
    expect(view.body.items.map((i) => [i.code, i.origin])).toEqual([[ITEM.code, 'upstream'], ['TOWN-01', 'upstream']]);
    // An upstream item is not the village's to edit.
    expect((await village.api('PATCH', `/api/catalogue/${ITEM.code}`, { name: '改' }, villageAdmin)).status).toBe(409);
    expect((await village.api('POST', '/api/catalogue', { ...ITEM, name: '重复' }, villageAdmin)).status).toBe(409);

    // Adopt into a new service; a second new service for the same item is refused.
    const adopted = await village.api<Service>('POST', `/api/catalogue/${ITEM.code}/adopt`, { prefix: 'Y', id: 'svc-pension' }, villageAdmin);
    expect(adopted.status).toBe(201);
    expect(adopted.body).toMatchObject({ id: 'svc-pension', prefix: 'Y', name: ITEM.name, materials: ITEM.materials, completionWorkingDays: 5, catalogueCode: ITEM.code, catalogueVersion: 1 });
    expect((await village.api('POST', `/api/catalogue/${ITEM.code}/adopt`, { prefix: 'Z' }, villageAdmin)).status).toBe(409);
    for (const [body, status] of [[{}, 400], [{ serviceId: 'nope' }, 404], [{ serviceId: 'svc-pension', prefix: 'Q' }, 400], [{ prefix: 'A' }, 409]] as const) {
      expect((await village.api('POST', `/api/catalogue/${ITEM.code}/adopt`, body, villageAdmin)).status, JSON.stringify(body)).toBe(status);
    }
    expect((await village.api('POST', '/api/catalogue/UNKNOWN/adopt', { prefix: 'Q' }, villageAdmin)).status).toBe(404);
    // The hall's own services stay as they were.
    expect(village.hall.config.data.services.filter((s) => s.catalogueCode !== null).map((s) => s.id)).toEqual(['svc-pension']);

    // The county changes the item: the village sees an update, then applies it.
    await county.api('PATCH', `/api/catalogue/${ITEM.code}`, { completionWorkingDays: 3, materials: ['居民身份证原件'] }, countyAdmin);
    await township.api('POST', '/api/catalogue/sync', undefined, townAdmin);
    await village.api('POST', '/api/catalogue/sync', undefined, villageAdmin);
    view = await village.api<CatalogueView>('GET', '/api/catalogue', undefined, villageAdmin);
    expect(view.body.items[0]?.adoptedBy).toEqual([{ serviceId: 'svc-pension', name: ITEM.name, version: 1, outdated: true }]);
    const updated = await village.api<Service>('POST', `/api/catalogue/${ITEM.code}/adopt`, { serviceId: 'svc-pension' }, villageAdmin);
    expect(updated.body).toMatchObject({ prefix: 'Y', completionWorkingDays: 3, materials: ['居民身份证原件'], catalogueVersion: 2 });
    view = await village.api<CatalogueView>('GET', '/api/catalogue', undefined, villageAdmin);
    expect(view.body.items[0]?.adoptedBy[0]?.outdated).toBe(false);

    // The next fetch reports the adoption: the township compares its villages by code.
    await village.api('POST', '/api/catalogue/sync', undefined, villageAdmin);
    const kiosk = await village.kioskToken();
    expect((await village.api('POST', '/api/tickets', { serviceId: 'svc-pension' }, kiosk)).status).toBe(201);
    const supervisor = await createStaff(township, 'sup1', 'supervisor');
    const day = '2026-11-26';
    // The village's records reach the township over the network link and its read model counts
    // them under the village's id: the township compares the village by code, and reads the
    // village's statistics with its own service names and codes.
    type Cmp = Array<{ code: string; halls: Array<{ hallId: string; serviceId: string; issued: number }> }>;
    const compare = () => township.api<Cmp>('GET', `/api/catalogue/compare?from=${day}&to=${day}`, undefined, supervisor.token);
    let cmp = await compare();
    for (const end = performance.now() + 15_000; cmp.body.find((r) => r.code === ITEM.code)?.halls[0]?.issued !== 1 && performance.now() < end; ) {
      await new Promise((r) => setTimeout(r, 200));
      cmp = await compare();
    }
    expect(cmp.status).toBe(200);
    expect(cmp.body.find((r) => r.code === ITEM.code)?.halls.map((h) => [h.hallId, h.serviceId, h.issued])).toEqual([[villageId, 'svc-pension', 1]]);
    const stats = await township.api<StatsSummary>('GET', `/api/stats/summary?hallId=${villageId}`, undefined, supervisor.token);
    expect(stats.body.byService.find((r) => r.serviceId === 'svc-pension')).toMatchObject({ name: ITEM.name, catalogueCode: ITEM.code, issued: 1 });
    // At the village itself the row carries the code from its own service. The township may
    // have counted the village's ticket before the village's own read model flushed it.
    await village.hall.readModel.flush();
    const own = await village.api<StatsSummary>('GET', '/api/stats/summary', undefined, villageAdmin);
    expect(own.body.byService.find((r) => r.serviceId === 'svc-pension')).toMatchObject({ catalogueCode: ITEM.code, issued: 1 });
    expect(own.body.byService.filter((r) => r.serviceId !== 'svc-pension').every((r) => r.catalogueCode === null)).toBe(true);
    // The township passes its villages' reports on: once it relays the village's records, the
    // county compares the village too (the same hall id all the way up).
    const countySup = await createStaff(county, 'sup2', 'supervisor');
    const relayedHere = async () => (await county.api<Array<{ id: string }>>('GET', '/api/halls', undefined, countySup.token)).body.some((h) => h.id === villageId);
    for (const end = performance.now() + 10_000; !(await relayedHere()) && performance.now() < end; ) await new Promise((r) => setTimeout(r, 100));
    await township.api('POST', '/api/catalogue/sync', undefined, townAdmin);
    const atCounty = await county.api<Array<{ code: string; halls: Array<{ hallId: string; serviceId: string }> }>>('GET', `/api/catalogue/compare?from=${day}&to=${day}`, undefined, countySup.token);
    expect(atCounty.body.find((r) => r.code === ITEM.code)?.halls.map((h) => [h.hallId, h.serviceId])).toEqual([[villageId, 'svc-pension']]);
    expect((await township.api('GET', '/api/catalogue/compare?from=2026-13-01&to=2026-11-26', undefined, supervisor.token)).status).toBe(400);
    expect((await township.api('GET', `/api/catalogue/compare?from=${day}&to=${day}`, undefined, townAdmin)).status).toBe(200);
    const clerk = await createStaff(township, 'clerk2', 'clerk');
    expect((await township.api('GET', `/api/catalogue/compare?from=${day}&to=${day}`, undefined, clerk.token)).status).toBe(403);
  });

  it('keeps the last copy through a restart with the upstream down, and says why the fetch fails', async () => {
    const county = await hall();
    await county.api('POST', '/api/catalogue', ITEM, await county.login());
    const dataDir = await makeTempDir();
    const first = await startTestHall({ dataDir, catalogueSync: manual });
    const { admin } = await linkTo(first, county);
    expect((await first.api<CatalogueUpstreamStatus>('POST', '/api/catalogue/sync', undefined, admin)).body.error).toBeNull();
    await first.close(true);
    await county.close();
    halls.splice(halls.indexOf(county), 1);

    const again = await hall({ dataDir });
    const token = await again.login();
    const status = await again.api<CatalogueUpstreamStatus>('POST', '/api/catalogue/sync', undefined, token);
    expect(status.status).toBe(200);
    expect(status.body.error).toMatch(/fetch failed|ECONNREFUSED|HTTP/);
    expect(status.body.fetchedAt).not.toBeNull();
    const view = await again.api<CatalogueView>('GET', '/api/catalogue', undefined, token);
    expect(view.body.items.map((i) => i.code)).toEqual([ITEM.code]);
    // The hall itself is unaffected: it still issues tickets.
    expect((await again.api('POST', '/api/tickets', { serviceId: again.hall.config.data.services[0]?.id }, await again.kioskToken())).status).toBe(201);
  });

  it('refuses a sync where there is no upstream, and a revoked token is reported, not retried silently', async () => {
    const county = await hall();
    const village = await hall();
    const admin = await village.login();
    expect((await village.api<{ error: { code: string } }>('POST', '/api/catalogue/sync', undefined, admin)).body.error.code).toBe('CONFIG.CONFLICT');
    const { hallId } = await linkTo(village, county);
    expect((await village.api<CatalogueUpstreamStatus>('POST', '/api/catalogue/sync', undefined, admin)).body.error).toBeNull();
    await county.api('DELETE', `/api/halls/${hallId}`, undefined, await county.login());
    const status = await village.api<CatalogueUpstreamStatus>('POST', '/api/catalogue/sync', undefined, admin);
    expect(status.body.error).toBe('HTTP 401 NETWORK.TOKEN_REVOKED');
    expect(status.body.nextAttemptAt).not.toBeNull();
    // The copy fetched before the revocation is still offered.
    expect((await village.api<CatalogueView>('GET', '/api/catalogue', undefined, admin)).body.upstream?.fetchedAt).not.toBeNull();
  });
});
