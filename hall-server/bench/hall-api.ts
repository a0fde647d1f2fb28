/** The few hall API calls the benchmarks need, over the keep-alive client of load.ts. */
import type { ServiceSummary } from '@hall/protocol';
import { ADMIN_PASSWORD } from './proc';
import { closedLoop, type HttpClient, type LoopResult } from './load';

export async function login(c: HttpClient, username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  const r = await c.json<{ token: string }>('POST', '/api/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** Creates a clerk through the API and returns a staff token for them. */
export async function clerkToken(c: HttpClient, adminToken: string, username: string): Promise<string> {
  const r = await c.json<{ id: string }>('POST', '/api/users', { username, name: `压测${username}`, staffNo: `B-${username}`, role: 'clerk', password: 'bench-password-1' }, adminToken);
  if (r.status !== 201) throw new Error(`create clerk ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return login(c, username, 'bench-password-1');
}

export async function services(c: HttpClient): Promise<ServiceSummary[]> {
  const r = await c.json<ServiceSummary[]>('GET', '/api/services');
  if (r.status !== 200) throw new Error(`services: ${r.status}`);
  return r.body;
}

/**
 * Adds services through the API until the hall has `total` (prefixes BA, BB, …), each served by
 * the same counters as a demo service (its "sibling"), so that issuing one costs what issuing the
 * sibling does (the counters' keypads and screens are told of it). A service gives out at most
 * 9,999 numbers a day, so the demo hall's 8 hold ~80,000 tickets: a hall issuing 7,000/s runs
 * out of numbers within one issue benchmark, and refusals are not a measurement. The counters'
 * service weights become 1 (they only matter for calling, which these benchmarks do not do).
 */
export async function ensureServices(c: HttpClient, adminToken: string, total: number): Promise<string[]> {
  // The full settings (admin): a copy takes its sibling's ticket hours (the demo's are around the
  // clock), so that the benchmark runs at any hour, lunch break included.
  const all = await c.json<Array<{ id: string; ticketHours: unknown }>>('GET', '/api/services/all', undefined, adminToken);
  if (all.status !== 200) throw new Error(`services/all: ${all.status}`);
  const demo = all.body.map((s) => s.id);
  const siblingOf = new Map<string, string>();
  for (let i = demo.length; i < total; i++) {
    const id = `bench-${i}`;
    const prefix = `B${String.fromCharCode(65 + (i % 26))}`;
    const sibling = all.body[i % demo.length]!;
    const r = await c.json('POST', '/api/services', { id, name: `压测业务${i}`, category: '压测', prefix, ticketHours: sibling.ticketHours }, adminToken);
    if (r.status !== 201) throw new Error(`create service ${prefix}: ${r.status} ${JSON.stringify(r.body)}`);
    siblingOf.set(id, sibling.id);
  }
  const counters = await c.json<Array<{ id: string; serviceIds: string[] }>>('GET', '/api/counters');
  for (const counter of counters.body) {
    const added = [...siblingOf].filter(([, sibling]) => counter.serviceIds.includes(sibling)).map(([id]) => id);
    if (added.length === 0) continue;
    const r = await c.json('PATCH', `/api/counters/${counter.id}`, { serviceIds: [...counter.serviceIds, ...added] }, adminToken);
    if (r.status !== 200) throw new Error(`counter ${counter.id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return (await services(c)).map((s) => s.id);
}

export async function waitingTotal(c: HttpClient, serviceIds?: string[]): Promise<number> {
  const all = await services(c);
  return all.filter((s) => !serviceIds || serviceIds.includes(s.id)).reduce((n, s) => n + s.waiting, 0);
}

/** One `POST /api/tickets`; true on 201. */
export function issueSender(c: HttpClient, token: string, serviceIds: string[]): (i: number) => Promise<boolean> {
  return async (i) => {
    const r = await c.request('POST', '/api/tickets', { serviceId: serviceIds[i % serviceIds.length] }, token);
    if (r.status !== 201) throw new Error(`issue: ${r.status} ${r.text.slice(0, 200)}`);
    return true;
  };
}

/** Issues `count` tickets through the API, round-robin over `serviceIds`, 20 at a time. */
export async function prefill(c: HttpClient, token: string, serviceIds: string[], count: number, concurrency = 20): Promise<LoopResult> {
  const r = await closedLoop({ concurrency, maxRequests: count, send: issueSender(c, token, serviceIds) });
  if (r.ok !== count) throw new Error(`prefill issued ${r.ok} of ${count}: ${r.firstError ?? ''}`);
  return r;
}
