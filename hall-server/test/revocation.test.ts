/**
 * Revocation reaches every channel at once (API.md "Auth"): an open socket of a token that was
 * logged out, expired, or whose user or terminal changed is disconnected, and a command it still
 * sends changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { AckResult, CounterView, IssueTicketResponse, KioskSnapshot, ServiceSummary, StaffSnapshot } from '@hall/protocol';
import { connectSocket, createStaff, nextEvent, startTestHall, type TestHall } from './harness';

const halls: TestHall[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const h of halls.splice(0)) await h.close();
});

async function hall(opts: Parameters<typeof startTestHall>[0] = {}): Promise<TestHall> {
  const h = await startTestHall(opts);
  halls.push(h);
  return h;
}

function open(t: TestHall, ns: string, auth: Record<string, unknown>): Socket {
  const s = connectSocket(t.url, ns, auth);
  sockets.push(s);
  return s;
}

/** Resolves when the server drops the socket; rejects if it stays up. */
function dropped(s: Socket, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still connected')), timeoutMs);
    s.once('disconnect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function staffSocket(t: TestHall, token: string): Promise<Socket> {
  const s = open(t, '/counter', { token });
  await nextEvent<StaffSnapshot>(s, 'snapshot');
  return s;
}

/** The counter socket's old `action` event, as a revoked client would still try it. */
async function trySignIn(t: TestHall, s: Socket): Promise<CounterView> {
  const counter = (await t.api<CounterView[]>('GET', '/api/counters')).body.find((c) => c.state === 'closed') as CounterView;
  s.emit('action', { action: 'sign-in', counterId: counter.id }, () => undefined);
  await new Promise((r) => setTimeout(r, 200));
  return (await t.api<CounterView[]>('GET', '/api/counters')).body.find((c) => c.id === counter.id) as CounterView;
}

describe('/counter sockets follow their staff session', () => {
  it('logout disconnects the socket of that token; a late command changes nothing', async () => {
    const t = await hall();
    const clerk = await createStaff(t, 'rv-logout', 'clerk');
    const s = await staffSocket(t, clerk.token);
    const gone = dropped(s);
    expect((await t.api('POST', '/api/auth/logout', undefined, clerk.token)).status).toBe(204);
    await gone;
    expect((await trySignIn(t, s)).state).toBe('closed');
  });

  for (const [name, patch] of [
    ['a password change', { password: 'another-pass-1' }],
    ['a role change', { role: 'supervisor' }],
    ['disabling the user', { disabled: true }],
  ] as const) {
    it(`${name} disconnects the user's sockets`, async () => {
      const t = await hall();
      const admin = await t.login();
      const clerk = await createStaff(t, `rv-${Object.keys(patch)[0]}`, 'clerk');
      const s = await staffSocket(t, clerk.token);
      const adminSocket = await staffSocket(t, admin);
      const gone = dropped(s);
      expect((await t.api('PATCH', `/api/users/${clerk.id}`, patch, admin)).status).toBe(200);
      await gone;
      expect(adminSocket.connected).toBe(true);
      expect((await t.api('GET', '/api/auth/me', undefined, clerk.token)).status).toBe(401);
    });
  }

  it('the 12-hour expiry disconnects by the hall clock', async () => {
    let now = Date.parse('2026-11-26T08:00:00+08:00');
    const t = await hall({ clock: () => now, sessionSweepMs: 50 });
    const clerk = await createStaff(t, 'rv-expiry', 'clerk');
    const s = await staffSocket(t, clerk.token);
    await new Promise((r) => setTimeout(r, 150));
    expect(s.connected).toBe(true);
    const gone = dropped(s);
    now += 12 * 3600_000 + 1000;
    await gone;
  });

  it('a socket cannot connect with a logged-out token', async () => {
    const t = await hall();
    const clerk = await createStaff(t, 'rv-late', 'clerk');
    await t.api('POST', '/api/auth/logout', undefined, clerk.token);
    const s = open(t, '/counter', { token: clerk.token });
    const err = await new Promise<{ data?: { code: string } }>((resolve) => s.on('connect_error', resolve));
    expect(err.data?.code).toBe('AUTH.REQUIRED');
  });
});

describe('terminal sockets follow their terminal', () => {
  it('deleting a kiosk terminal disconnects its kiosk and agent sockets; it issues nothing more', async () => {
    const t = await hall();
    const admin = await t.login();
    const made = await t.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '待删取号机' }, admin);
    const other = await t.kioskToken();
    const k = open(t, '/kiosk', { token: made.body.token });
    const snap = await nextEvent<KioskSnapshot>(k, 'snapshot');
    const svc = snap.services[0] as ServiceSummary;
    const agent = open(t, '/kiosk', { token: made.body.token, agent: true });
    await nextEvent(agent, 'devices');
    const otherKiosk = open(t, '/kiosk', { token: other });
    await nextEvent(otherKiosk, 'snapshot');
    const ok = (await k.timeout(3000).emitWithAck('issue', { serviceId: svc.id })) as AckResult<IssueTicketResponse>;
    expect(ok.ok).toBe(true);

    const gone = Promise.all([dropped(k), dropped(agent)]);
    expect((await t.api('DELETE', `/api/terminals/${made.body.id}`, undefined, admin)).status).toBe(204);
    await gone;
    expect(otherKiosk.connected).toBe(true);
    const waiting = (await t.api<ServiceSummary[]>('GET', '/api/services')).body.find((x) => x.id === svc.id)?.waiting;
    k.emit('issue', { serviceId: svc.id }, () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.api<ServiceSummary[]>('GET', '/api/services')).body.find((x) => x.id === svc.id)?.waiting).toBe(waiting);
    const refused = await t.api<{ error: { code: string } }>('POST', '/api/tickets', { serviceId: svc.id }, made.body.token);
    expect(refused.status).toBe(401);
  });

  it('every packet is checked: a kiosk whose terminal was revoked behind the gateway is refused its next issue and dropped', async () => {
    const t = await hall();
    const admin = await t.login();
    const made = await t.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '旁路取号机' }, admin);
    const k = open(t, '/kiosk', { token: made.body.token });
    const svc = (await nextEvent<KioskSnapshot>(k, 'snapshot')).services[0] as ServiceSummary;
    // Straight into the config store: no revocation is announced, so only the per-packet check can notice.
    await t.hall.config.update((d) => {
      const term = d.terminals.find((x) => x.id === made.body.id);
      if (term) term.revoked = true;
    });
    expect(k.connected).toBe(true);
    const waiting = (await t.api<ServiceSummary[]>('GET', '/api/services')).body.find((x) => x.id === svc.id)?.waiting;
    const gone = dropped(k);
    k.emit('issue', { serviceId: svc.id }, () => undefined);
    await gone;
    expect((await t.api<ServiceSummary[]>('GET', '/api/services')).body.find((x) => x.id === svc.id)?.waiting).toBe(waiting);
  });

  it('deleting a display terminal disconnects its zoned screen; public screens stay', async () => {
    const t = await hall();
    const admin = await t.login();
    const made = await t.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'display', name: 'A区屏', zone: 'A区' }, admin);
    const zoned = open(t, '/display', { token: made.body.token });
    await nextEvent(zoned, 'snapshot');
    const pub = open(t, '/display', {});
    await nextEvent(pub, 'snapshot');
    const gone = dropped(zoned);
    expect((await t.api('DELETE', `/api/terminals/${made.body.id}`, undefined, admin)).status).toBe(204);
    await gone;
    expect(pub.connected).toBe(true);
  });
});
