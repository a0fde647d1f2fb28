/**
 * 电子监察 alerts reach supervisors live (API.md "live alerts reach /counter sockets of
 * supervisors"): raised, acknowledged and cleared each arrive on a supervisor's socket as `alert`,
 * over a real socket.io client on a running hall; a clerk's socket never gets one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '@hall/protocol';
import { connectSocket, createStaff, nextEvent, startTestHall, type TestHall } from './harness';

let t: TestHall | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The harness's weekday morning, moved forward by the test (never the wall clock's pace). */
function steerableClock(start = '2026-11-26T10:00:00+08:00') {
  let now = Date.parse(start);
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('alert push to supervisors', () => {
  it('raised, acknowledged and cleared arrive on a supervisor socket; a clerk socket gets none', async () => {
    const clock = steerableClock();
    t = await startTestHall({ clock: clock.now, supervisionTickSeconds: 0 });
    await t.hall.supervision.started;
    const kiosk = await t.kioskToken();
    const sup = await createStaff(t, 'sup1', 'supervisor');
    const clerk = await createStaff(t, 'clerk1', 'clerk');
    expect((await t.api('POST', '/api/counters/ctr-1/sign-in', {}, clerk.token)).status).toBe(200);
    const ticket = await t.api<{ id: string; number: string }>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk);
    const supSocket = connectSocket(t.url, '/counter', { token: sup.token });
    const clerkSocket = connectSocket(t.url, '/counter', { token: clerk.token });
    const clerkAlerts: Alert[] = [];
    clerkSocket.on('alert', (a: Alert) => clerkAlerts.push(a));
    try {
      await Promise.all([nextEvent(supSocket, 'snapshot'), nextEvent(clerkSocket, 'snapshot')]);

      const raised = nextEvent<Alert>(supSocket, 'alert', (a) => a.rule === 'ticket-wait' && a.clearedAt === null && a.acknowledgedAt === null);
      clock.advance(31 * 60_000);
      await t.hall.supervision.engine.tick();
      const alert = await raised;
      expect(alert).toMatchObject({ level: 'yellow', subject: { kind: 'ticket', id: ticket.body.id, label: ticket.body.number } });

      const acked = nextEvent<Alert>(supSocket, 'alert', (a) => a.id === alert.id && a.acknowledgedAt !== null);
      expect((await t.api('POST', `/api/alerts/${alert.id}/ack`, { note: '已安排加开窗口' }, sup.token)).status).toBe(200);
      expect(await acked).toMatchObject({ id: alert.id, note: '已安排加开窗口', clearedAt: null });

      const cleared = nextEvent<Alert>(supSocket, 'alert', (a) => a.id === alert.id && a.clearedAt !== null);
      // The clerk's socket sees this call; socket.io keeps one socket's order, so any alert sent
      // to it before would have arrived before the call's ticket event.
      const calledSeen = nextEvent<{ id: string; status: string }>(clerkSocket, 'ticket', (x) => x.id === ticket.body.id && x.status === 'called');
      expect((await t.api('POST', '/api/counters/ctr-1/call-next', {}, clerk.token)).status).toBe(200);
      await t.hall.supervision.engine.tick();
      expect(await cleared).toMatchObject({ id: alert.id, acknowledgedBy: sup.id });
      await calledSeen;
      const afterClear = nextEvent(clerkSocket, 'ticket', (x: { id: string; status: string }) => x.id === ticket.body.id && x.status === 'done');
      expect((await t.api('POST', '/api/counters/ctr-1/finish', {}, clerk.token)).status).toBe(200);
      await afterClear;
      expect(clerkAlerts).toEqual([]);
    } finally {
      supSocket.close();
      clerkSocket.close();
    }
  });
});
