/** Counter screens (窗口屏) on /display with `auth.counterId`: one counter's data, and the rating prompt on paired screens. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { CounterView, IssueTicketResponse, QueueSnapshot, RatePrompt, RecentCall } from '@hall/protocol';
import { counterScreenSnapshot, hasEvaluator, promptChanges } from '../src/realtime/counter-screens';
import { connectSocket, createStaff, nextEvent, startTestHall, type TestHall } from './harness';

describe('counter screen data (pure)', () => {
  const counter = (id: string, number: number, serviceIds: string[]): CounterView => ({
    id,
    number,
    name: `${number}号窗口`,
    state: 'open',
    pauseReason: null,
    serviceIds,
    currentTicket: null,
    clerk: null,
    zone: null,
  });
  const call = (counterNumber: number, n: string): RecentCall => ({ ticketNumber: n, ticketId: n, counterNumber, counterName: '', serviceName: '', phrase: '', at: '', recall: false });
  const snap = {
    hall: { id: 'h', name: 'h', level: 'county' },
    day: '2026-11-26',
    services: [{ id: 's1' }, { id: 's2' }, { id: 's3' }],
    counters: [counter('c1', 1, ['s1', 's2']), counter('c2', 2, ['s3'])],
    recentCalls: [call(2, 'C001'), call(1, 'A001')],
    waitingNumbers: { s1: ['A002', 'A003', 'A004', 'A005', 'A006', 'A007'], s2: [], s3: ['C002'] },
    notices: [],
    at: '',
  } as unknown as QueueSnapshot;

  it('keeps only the counter, its services, its calls and the head of its queues', () => {
    const s = counterScreenSnapshot(snap, 'c1');
    expect(s.counters.map((c) => c.id)).toEqual(['c1']);
    expect(s.services.map((x) => x.id)).toEqual(['s1', 's2']);
    expect(s.recentCalls.map((c) => c.ticketNumber)).toEqual(['A001']);
    expect(s.waitingNumbers).toEqual({ s1: ['A002', 'A003', 'A004', 'A005', 'A006'], s2: [] });
    expect(counterScreenSnapshot(snap, 'nope').counters).toEqual([]);
  });

  it('prompts after a finish only where no evaluator is attached; the rating or a sign-out clears it', () => {
    const devices = [{ kind: 'evaluator', attachedTo: { counterId: 'c2' } }] as never;
    expect(hasEvaluator({ devices }, 'c2')).toBe(true);
    expect(hasEvaluator({ devices }, 'c1')).toBe(false);
    const ev = (type: string, counterId: string, ticketId = 't') => ({ type, counterId, ticketId }) as never;
    expect(promptChanges([ev('ticket.finished', 'c1'), ev('ticket.finished', 'c2'), ev('ticket.called', 'c1', 't2')], { devices })).toEqual([
      { counterId: 'c1', ticketId: 't', show: true },
    ]);
    expect(promptChanges([ev('ticket.rated', 'c1'), ev('counter.signed-out', 'c1')], { devices })).toEqual([
      { counterId: 'c1', ticketId: 't', show: false },
      { counterId: 'c1', ticketId: '', show: false },
    ]);
  });
});

describe('counter screens over /display', () => {
  let t: TestHall;
  const sockets: Socket[] = [];
  const open = (auth: Record<string, string>): Socket => {
    const s = connectSocket(t.url, '/display', auth);
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

  it('an unknown counter is refused', async () => {
    const s = open({ counterId: 'no-such-counter' });
    const err = await new Promise<Error & { data?: { code: string } }>((r) => s.once('connect_error', r));
    expect(err.data?.code).toBe('COUNTER.NOT_FOUND');
  });

  it('sees its counter only; the paired screen asks for a rating after the finish, the rating clears it', async () => {
    const admin = await t.login();
    const counters = (await t.api<CounterView[]>('GET', '/api/counters')).body;
    // The demo hall's counters 1 and 2 have evaluator devices: the screen of counter 3 or later asks.
    const [mine, other] = counters.filter((c) => c.serviceIds.length > 0 && c.number > 2) as [CounterView, CounterView];
    const display = await t.api<{ token: string }>('POST', '/api/terminals', { kind: 'display', name: '3号窗口屏' }, admin);

    const publicScreen = open({ counterId: mine.id });
    const paired = open({ counterId: mine.id, token: display.body.token });
    const [snap] = await Promise.all([nextEvent<QueueSnapshot>(paired, 'snapshot'), nextEvent<QueueSnapshot>(publicScreen, 'snapshot')]);
    expect(snap.counters.map((c) => c.id)).toEqual([mine.id]);
    expect(Object.keys(snap.waitingNumbers).sort()).toEqual([...mine.serviceIds].sort());

    const kiosk = await t.kioskToken();
    const clerkA = await createStaff(t, 'cs-a', 'clerk');
    const clerkB = await createStaff(t, 'cs-b', 'clerk');
    await t.api('POST', `/api/counters/${mine.id}/sign-in`, undefined, clerkA.token);
    await t.api('POST', `/api/counters/${other.id}/sign-in`, undefined, clerkB.token);

    // A call at the other counter never reaches this screen; a call here does.
    const calls: RecentCall[] = [];
    publicScreen.on('call', (c: RecentCall) => calls.push(c));
    const counters2: CounterView[] = [];
    publicScreen.on('counter', (c: CounterView) => counters2.push(c));
    await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: other.serviceIds[0] }, kiosk);
    await t.api('POST', `/api/counters/${other.id}/call-next`, undefined, clerkB.token);
    const issued = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: mine.serviceIds[0] }, kiosk);
    const myCall = nextEvent<RecentCall>(publicScreen, 'call');
    await t.api('POST', `/api/counters/${mine.id}/call-next`, undefined, clerkA.token);
    expect((await myCall).ticketNumber).toBe(issued.body.number);
    expect(calls.map((c) => c.counterNumber)).toEqual([mine.number]);
    expect(counters2.every((c) => c.id === mine.id)).toBe(true);

    const prompts: (RatePrompt | null)[] = [];
    publicScreen.on('rate-prompt', (p: RatePrompt | null) => prompts.push(p));
    const prompt = nextEvent<RatePrompt | null>(paired, 'rate-prompt');
    await t.api('POST', `/api/counters/${mine.id}/finish`, undefined, clerkA.token);
    const p = (await prompt) as RatePrompt;
    expect(p).toMatchObject({ ticketId: issued.body.id, ticketNumber: issued.body.number });

    const cleared = nextEvent<RatePrompt | null>(paired, 'rate-prompt', (x) => x === null);
    const rated = await t.api('POST', `/api/tickets/${p.ticketId}/rating?token=${encodeURIComponent(p.token)}`, { score: 5 });
    expect(rated.status).toBe(201);
    await cleared;
    // The public (unpaired) screen never gets a rating token.
    expect(prompts).toEqual([]);
  });
});
