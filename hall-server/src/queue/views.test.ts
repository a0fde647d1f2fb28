import { describe, expect, it } from 'vitest';
import {
  activeTicketViews,
  counterOfUser,
  counterView,
  counterViews,
  findTicketIdByNumber,
  queueSnapshot,
  serviceSummaries,
  ticketTrackToken,
  ticketView,
} from './views';
import { KIOSK, makeConfig, staff, TestHall } from './test-support';

describe('ticketView', () => {
  it('is the protocol Ticket without the trackToken, with a masked name only', () => {
    const h = new TestHall();
    const id = h.issue('A', undefined, KIOSK, { holder: { maskedName: '张*三', idHash: 'secret-hash', birthDate: '1990-01-01' } });
    const t = ticketView(h.state, id, h.view());
    expect(t).toEqual({
      id,
      number: 'A001',
      serviceId: 'A',
      serviceName: '社保办理',
      priority: 'normal',
      source: 'staff',
      status: 'waiting',
      waitingAhead: 0,
      estimatedWaitMinutes: null,
      holderName: '张*三',
      issuedAt: '2026-11-26T09:30:00+08:00',
      calledAt: null,
      startedAt: null,
      finishedAt: null,
      counterId: null,
      counterNumber: null,
      recalls: 0,
      requeues: 0,
      transferredFrom: null,
      rated: false,
    });
    expect(JSON.stringify(t)).not.toContain('secret-hash');
    expect(JSON.stringify(t)).not.toContain('1990');
    expect(ticketTrackToken(h.state, id)).toMatch(/^tok/);
    expect(ticketView(h.state, 'nope', h.view())).toBeUndefined();
    expect(ticketTrackToken(h.state, 'nope')).toBeUndefined();
  });

  it('finds tickets by number, case-insensitively', () => {
    const h = new TestHall();
    const id = h.issue('G');
    expect(findTicketIdByNumber(h.state, 'GA998')).toBe(id);
    expect(findTicketIdByNumber(h.state, ' ga998 ')).toBe(id);
    expect(findTicketIdByNumber(h.state, 'GA999')).toBeUndefined();
  });
});

describe('waitingAhead', () => {
  it('counts the tickets the policy would call first, with priority interleaving', () => {
    const h = new TestHall(makeConfig({ policy: { agingMinutes: 0 } }));
    const n = [0, 1, 2, 3].map(() => h.issue('A'));
    const p = [0, 1].map(() => h.issue('A', 'elderly'));
    h.issue('B'); // another service: not counted
    // projected order: P0 N0 N1 P1 N2 N3
    const ahead = (id: string) => ticketView(h.state, id, h.view())?.waitingAhead;
    expect(p.map(ahead)).toEqual([0, 3]);
    expect(n.map(ahead)).toEqual([1, 2, 4, 5]);
  });

  it('is 0 once the ticket is called', () => {
    const h = new TestHall();
    h.issue('A');
    const b = h.issue('A');
    expect(ticketView(h.state, b, h.view())?.waitingAhead).toBe(1);
    h.signIn('c2', 'u2');
    h.callNext('c2');
    expect(ticketView(h.state, b, h.view())?.waitingAhead).toBe(0);
    h.callNext('c2');
    expect(ticketView(h.state, b, h.view())).toMatchObject({ waitingAhead: 0, estimatedWaitMinutes: null });
  });
});

describe('estimatedWaitMinutes', () => {
  it('is null until the service has a finished service today, then ahead × mean ÷ open counters', () => {
    const h = new TestHall();
    const ids = [0, 1, 2, 3, 4].map(() => h.issue('A'));
    const last = ids[4] as string;
    expect(ticketView(h.state, last, h.view())?.estimatedWaitMinutes).toBe(null);
    expect(serviceSummaries(h.state, h.view())[0]?.estimatedWaitMinutes).toBe(null);
    h.signIn('c2', 'u2');
    h.callNext('c2');
    h.ok({ type: 'counter.start', counterId: 'c2' });
    h.advance(6);
    h.callNext('c2'); // finishes A001 after 6 minutes, calls A002
    // A002 is called; A003 and A004 wait ahead of A005
    expect(ticketView(h.state, last, h.view())).toMatchObject({ waitingAhead: 2, estimatedWaitMinutes: 12 });
    h.signIn('c1', 'u1'); // a second open counter serving A
    expect(ticketView(h.state, last, h.view())?.estimatedWaitMinutes).toBe(6);
    h.ok({ type: 'counter.pause', counterId: 'c1', reason: '' });
    expect(ticketView(h.state, last, h.view())?.estimatedWaitMinutes).toBe(12);
    // service summary: everyone waiting (3) × 6 min
    expect(serviceSummaries(h.state, h.view()).find((s) => s.id === 'A')?.estimatedWaitMinutes).toBe(18);
    // another service has no history
    expect(serviceSummaries(h.state, h.view()).find((s) => s.id === 'B')?.estimatedWaitMinutes).toBe(null);
  });
});

describe('serviceSummaries', () => {
  it('lists enabled services by sort with waiting counts and whether they issue now', () => {
    const h = new TestHall();
    h.issue('A');
    h.issue('A');
    h.issue('D');
    h.issue('D');
    const list = serviceSummaries(h.state, h.view());
    expect(list.map((s) => s.id)).toEqual(['A', 'C', 'D', 'F', 'G', 'B']);
    expect(list[0]).toEqual({
      id: 'A',
      prefix: 'A',
      name: '社保办理',
      nameEn: '',
      category: '社保',
      open: true,
      waiting: 2,
      idRequired: false,
      materials: ['身份证'],
      estimatedWaitMinutes: null,
      closedReason: null,
    });
    expect(list.find((s) => s.id === 'D')).toMatchObject({ open: false, closedReason: 'quota' });
    expect(list.find((s) => s.id === 'C')?.idRequired).toBe(true);
    h.now = Date.parse('2026-11-26T12:30:00+08:00');
    const lunch = serviceSummaries(h.state, h.view());
    expect(lunch.filter((s) => s.open).map((s) => s.id)).toEqual(['F']);
    // A kiosk tile says why: lunch break is "hours", a used-up quota stays "quota".
    expect(lunch.find((s) => s.id === 'A')?.closedReason).toBe('hours');
    expect(lunch.find((s) => s.id === 'D')?.closedReason).toBe('quota');
  });

  it('says a used-up number range is a used-up quota', () => {
    const h = new TestHall();
    for (let i = 0; i < 4; i++) h.issue('G'); // GA998 … GA1001
    expect(serviceSummaries(h.state, h.view()).find((s) => s.id === 'G')).toMatchObject({ open: false, closedReason: 'quota' });
  });

  it('keeps a disabled service listed while tickets still wait in it', () => {
    const config = makeConfig();
    const h = new TestHall(config);
    h.issue('B');
    config.services.find((s) => s.id === 'B')!.enabled = false;
    expect(serviceSummaries(h.state, h.view()).find((s) => s.id === 'B')).toMatchObject({ open: false, waiting: 1, closedReason: 'disabled' });
  });
});

describe('counters', () => {
  it('lists enabled counters by number with state, clerk and current ticket', () => {
    const h = new TestHall();
    const a = h.issue('A');
    h.signIn('c2', 'u2');
    h.callNext('c2');
    const list = counterViews(h.state, h.view());
    expect(list.map((c) => c.number)).toEqual([1, 2, 3, 5, 6]);
    expect(list[1]).toEqual({
      id: 'c2',
      number: 2,
      name: '2号窗口',
      state: 'open',
      pauseReason: null,
      serviceIds: ['A'],
      currentTicket: { id: a, number: 'A001', status: 'called' },
      clerk: { id: 'u2', name: '李二', staffNo: 'No.u2' },
      zone: null,
      stateSince: '2026-11-26T09:30:00+08:00',
      idleSince: null,
    });
    expect(list[0]).toMatchObject({ state: 'closed', stateSince: null, idleSince: null });
    expect(counterView(h.state, 'c9', h.view())).toBeUndefined();
    expect(counterOfUser(h.state, 'u2')).toBe('c2');
    expect(counterOfUser(h.state, 'u1')).toBeUndefined();
  });
});

describe('counter since-when (the supervision page: idle and long-paused counters)', () => {
  const view = (h: TestHall) => counterView(h.state, 'c1', h.view())!;
  const iso = (s: string | null | undefined): number | null => (s ? Date.parse(s) : null);

  it('is idle from the sign-in, busy while a ticket is at the counter, idle again from when it closed', () => {
    const h = new TestHall();
    h.issue('A');
    h.signIn('c1', 'u1');
    const signedIn = h.now;
    expect(iso(view(h).stateSince)).toBe(signedIn);
    expect(iso(view(h).idleSince)).toBe(signedIn);
    h.advance(3);
    h.callNext('c1');
    expect(view(h).idleSince).toBeNull();
    h.advance(7);
    h.ok({ type: 'counter.finish', counterId: 'c1' });
    const freed = h.now;
    expect(iso(view(h).idleSince)).toBe(freed);
    expect(iso(view(h).stateSince)).toBe(signedIn);
  });

  it('a pause moves stateSince; idle time restarts at the resume; sign-out clears idleness', () => {
    const h = new TestHall();
    h.signIn('c1', 'u1');
    h.advance(5);
    h.ok({ type: 'counter.pause', counterId: 'c1', reason: '午间休息' }, staff('u1'));
    const paused = h.now;
    expect(view(h)).toMatchObject({ state: 'paused' });
    expect(iso(view(h).stateSince)).toBe(paused);
    h.advance(20);
    h.ok({ type: 'counter.resume', counterId: 'c1' }, staff('u1'));
    expect(iso(view(h).stateSince)).toBe(h.now);
    expect(iso(view(h).idleSince)).toBe(h.now);
    h.advance(1);
    h.ok({ type: 'counter.sign-out', counterId: 'c1' }, staff('u1'));
    expect(view(h)).toMatchObject({ state: 'closed', idleSince: null });
    expect(iso(view(h).stateSince)).toBe(h.now);
  });
});

describe('queueSnapshot', () => {
  it('shows services, counters, recent calls newest first, waiting numbers in call order, notices', () => {
    const h = new TestHall(makeConfig({ policy: { agingMinutes: 0 } }));
    h.issue('A', undefined, KIOSK, { holder: { maskedName: '张*三', idHash: 'hash-x', birthDate: null } });
    h.issue('A');
    h.issue('A');
    h.issue('A', 'elderly', staff('u1'));
    h.issue('B');
    h.signIn('c2', 'u2');
    h.callNext('c2'); // A004 (priority)
    h.advance(1);
    h.callNext('c2'); // A001
    const snap = queueSnapshot(h.state, h.view());
    expect(snap.hall).toEqual({ id: 'hall-1', name: '测试县政务服务中心', level: 'county' });
    expect(snap.day).toBe('2026-11-26');
    expect(snap.at).toBe('2026-11-26T09:31:00+08:00');
    expect(snap.recentCalls.map((c) => c.ticketNumber)).toEqual(['A001', 'A004']);
    expect(snap.recentCalls[0]).toEqual({
      ticketNumber: 'A001',
      ticketId: expect.any(String),
      counterNumber: 2,
      counterName: '2号窗口',
      serviceName: '社保办理',
      phrase: '请A001号到2号窗口办理',
      at: '2026-11-26T09:31:00+08:00',
      recall: false,
    });
    expect(snap.waitingNumbers.A).toEqual(['A002', 'A003']);
    expect(snap.waitingNumbers.B).toEqual(['B001']);
    expect(snap.notices).toEqual(['请携带身份证']);
    const json = JSON.stringify(snap);
    expect(json).not.toContain('张*三');
    expect(json).not.toContain('hash-x');
    expect(json).not.toContain('tok');
  });

  it('caps the waiting numbers per service', () => {
    const h = new TestHall();
    for (let i = 0; i < 30; i++) h.issue('A');
    expect(queueSnapshot(h.state, h.view()).waitingNumbers.A).toHaveLength(20);
    expect(queueSnapshot(h.state, { ...h.view(), waitingNumbersLimit: 5 }).waitingNumbers.A).toEqual(['A001', 'A002', 'A003', 'A004', 'A005']);
  });

  it('fills the phrase template', () => {
    const config = makeConfig();
    config.hall.phraseTemplate = '请{number}号到{counterName}办理{service}';
    const h = new TestHall(config);
    h.issue('A');
    h.signIn('c1', 'u1');
    h.callNext('c1');
    expect(queueSnapshot(h.state, h.view()).recentCalls[0]?.phrase).toBe('请A001号到1号窗口办理社保办理');
  });
});

describe('activeTicketViews', () => {
  it('lists waiting tickets in call order with waitingAhead, then called and serving ones', () => {
    const h = new TestHall(makeConfig({ policy: { agingMinutes: 0 } }));
    h.issue('A');
    h.issue('A');
    h.issue('A', 'vip');
    h.issue('B');
    h.signIn('c3', 'u3');
    h.callNext('c3');
    const list = activeTicketViews(h.state, h.view());
    expect(list.map((t) => [t.number, t.status, t.waitingAhead])).toEqual([
      ['A003', 'waiting', 0],
      ['A001', 'waiting', 1],
      ['A002', 'waiting', 2],
      ['B001', 'called', 0],
    ]);
  });
});
