/** Real socket.io clients against a real server: snapshot on connect, then deltas; auth per namespace. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type {
  AckResult,
  CounterActionResponse,
  CounterView,
  IssueTicketResponse,
  KioskSnapshot,
  PublicTicket,
  QueueSnapshot,
  RecentCall,
  ServiceSummary,
  StaffSnapshot,
} from '@hall/protocol';
import { connectSocket as connect, createStaff, nextEvent as next, startTestHall, type TestHall } from './harness';

describe('realtime namespaces', () => {
  let t: TestHall;
  const sockets: Socket[] = [];
  const open = (ns: string, auth: Record<string, string> = {}): Socket => {
    const s = connect(t.url, ns, auth);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestHall();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('/display: snapshot first, then the call and the counter change', async () => {
    const display = open('/display');
    const snap = await next<QueueSnapshot>(display, 'snapshot');
    expect(snap.services.length).toBeGreaterThanOrEqual(4);
    expect(snap.counters.length).toBeGreaterThanOrEqual(6);

    const kiosk = await t.kioskToken();
    const clerk = await createStaff(t, 'rt-clerk', 'clerk');
    const counter = snap.counters.find((c) => c.serviceIds.length > 0) as CounterView;
    const svc = counter.serviceIds[0] as string;
    const servicesUpdate = next<ServiceSummary[]>(display, 'services', (s) => (s.find((x) => x.id === svc)?.waiting ?? 0) > 0);
    const issued = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc }, kiosk);
    await servicesUpdate;

    await t.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token);
    const call = next<RecentCall>(display, 'call');
    const counterUpdate = next<CounterView>(display, 'counter', (c) => c.id === counter.id && c.currentTicket?.id === issued.body.id);
    await t.api('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk.token);
    const c = await call;
    expect(c).toMatchObject({ ticketNumber: issued.body.number, counterNumber: counter.number });
    expect(c.phrase).toContain(issued.body.number);
    await counterUpdate;
  });

  it('/display with a zone: counters of that zone and counters without a zone reach it, other zones do not', async () => {
    const admin = await t.login();
    const d = await t.api<{ token: string }>('POST', '/api/terminals', { kind: 'display', name: 'B区屏', zone: 'B区' }, admin);
    const zoned = open('/display', { token: d.body.token });
    const snap = await next<QueueSnapshot>(zoned, 'snapshot');
    const open0 = snap.counters.filter((c) => c.zone === null && c.state === 'closed' && c.serviceIds.length > 0);
    const [unzoned, elsewhere] = open0 as [CounterView, CounterView];
    const moved = next<QueueSnapshot>(zoned, 'snapshot', (s) => s.counters.every((c) => c.id !== elsewhere.id));
    expect((await t.api('PATCH', `/api/counters/${elsewhere.id}`, { zone: 'C区' }, admin)).status).toBe(200);
    await moved;

    const seen: CounterView[] = [];
    zoned.on('counter', (c: CounterView) => seen.push(c));
    const clerk = await createStaff(t, 'rt-zone', 'clerk');
    const otherClerk = await createStaff(t, 'rt-zone2', 'clerk');
    const update = next<CounterView>(zoned, 'counter', (c) => c.id === unzoned.id && c.state === 'open');
    await t.api('POST', `/api/counters/${unzoned.id}/sign-in`, undefined, clerk.token);
    await update;
    const ticket = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: unzoned.serviceIds[0] }, admin);
    const call = next<RecentCall>(zoned, 'call', (c) => c.counterNumber === unzoned.number);
    const called = await t.api<CounterActionResponse>('POST', `/api/counters/${unzoned.id}/call-next`, undefined, clerk.token);
    expect(called.body.ticket?.id).toBeDefined();
    await call;
    expect(ticket.status).toBe(201);

    await t.api('POST', `/api/counters/${elsewhere.id}/sign-in`, undefined, otherClerk.token);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.some((c) => c.id === elsewhere.id)).toBe(false);
    await t.api('POST', `/api/counters/${elsewhere.id}/sign-out`, undefined, otherClerk.token);
    await t.api('POST', `/api/counters/${unzoned.id}/sign-out`, undefined, clerk.token);
  });

  it('/display: the phone page follows its ticket with the trackToken only', async () => {
    const kiosk = await t.kioskToken();
    const services = (await t.api<ServiceSummary[]>('GET', '/api/services')).body;
    const issued = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: (services[3] as ServiceSummary).id }, kiosk);
    const phone = open('/display', { ticketId: issued.body.id, trackToken: issued.body.trackToken });
    const first = await next<PublicTicket>(phone, 'ticket');
    expect(first.id).toBe(issued.body.id);
    expect(JSON.stringify(first)).not.toContain('trackToken');

    const stranger = open('/display');
    await next(stranger, 'snapshot');
    const denied = (await stranger.timeout(3000).emitWithAck('track', { ticketId: issued.body.id, token: 'guess' })) as AckResult<PublicTicket>;
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error.code).toBe('QUEUE.NOT_FOUND');
    const junk = (await stranger.timeout(3000).emitWithAck('track', 'junk')) as AckResult<PublicTicket>;
    expect(junk.ok).toBe(false);
    if (!junk.ok) expect(junk.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');

    const admin = await t.login();
    // The queue moving ahead of the ticket reaches the phone: one fewer ahead.
    const ahead = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: issued.body.serviceId }, admin);
    expect(ahead.status).toBe(201);
    const phone2 = open('/display', { ticketId: ahead.body.id, trackToken: ahead.body.trackToken });
    const second = await next<PublicTicket>(phone2, 'ticket');
    const fewer = next<PublicTicket>(phone2, 'ticket', (x) => x.waitingAhead === second.waitingAhead - 1);
    const update = next<PublicTicket>(phone, 'ticket', (x) => x.status === 'cancelled');
    await t.api('POST', `/api/tickets/${issued.body.id}/cancel`, undefined, admin);
    expect((await fewer).waitingAhead).toBe(second.waitingAhead - 1);
    expect((await update).status).toBe('cancelled');
  });

  it('/counter: refuses without a staff token; the snapshot, then what staff do over REST', async () => {
    const anon = open('/counter');
    const err = await new Promise<{ message: string; data?: { code: string } }>((resolve) => anon.on('connect_error', resolve));
    expect(err.data?.code).toBe('AUTH.REQUIRED');

    const clerk = await createStaff(t, 'rt-clerk2', 'clerk');
    const services = (await t.api<ServiceSummary[]>('GET', '/api/services')).body;
    const waiting = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: (services[2] as ServiceSummary).id }, await t.login());
    const s = open('/counter', { token: clerk.token });
    const snap = await next<StaffSnapshot>(s, 'snapshot');
    expect(snap.me.id).toBe(clerk.id);
    expect(snap.tickets.find((x) => x.id === waiting.body.id)?.status).toBe('waiting');
    const counter = snap.counters.find((c) => c.state === 'closed') as CounterView;
    const opened = next<CounterView>(s, 'counter', (c) => c.id === counter.id && c.state === 'open');
    const res = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token);
    expect(res.body.counter.state).toBe('open');
    await opened;
    await t.api('POST', `/api/counters/${counter.id}/sign-out`, undefined, clerk.token);
  });

  it('/kiosk: terminal token required; issues with an ack', async () => {
    const anon = open('/kiosk', { token: 'forged' });
    const err = await new Promise<{ data?: { code: string } }>((resolve) => anon.on('connect_error', resolve));
    expect(err.data?.code).toBe('AUTH.REQUIRED');

    const k = open('/kiosk', { token: await t.kioskToken() });
    const snap = await next<KioskSnapshot>(k, 'snapshot');
    const svc = snap.services[0] as ServiceSummary;
    const res = (await k.timeout(3000).emitWithAck('issue', { serviceId: svc.id })) as AckResult<IssueTicketResponse>;
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.value.number.startsWith(svc.prefix)).toBe(true);
    const bad = (await k.timeout(3000).emitWithAck('issue', { serviceId: 5 })) as AckResult<IssueTicketResponse>;
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
  });

  it('reconnecting gets the full state again', async () => {
    const d = open('/display');
    await next(d, 'snapshot');
    d.disconnect();
    const again = next<QueueSnapshot>(d, 'snapshot');
    d.connect();
    expect((await again).counters.length).toBeGreaterThanOrEqual(6);
  });
});
