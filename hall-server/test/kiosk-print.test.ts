/**
 * Issue 13 item 3, the server side: a kiosk learns whether a slip came out (`print-result` on
 * its socket, after the 201 said `print: "sent"`), and reprints a ticket it issued once paper
 * is back (`POST /api/tickets/:id/reprint`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueTicketResponse, KioskPrintResult, ReprintResponse, ServiceSummary } from '@hall/protocol';
import { connectSocket, nextEvent, startTestHall, type TestHall } from './harness';

describe('kiosk print results and reprint', () => {
  let t: TestHall;
  let admin: string;
  let kiosk: { id: string; token: string };
  let printerId: string;
  let serviceId: string;

  beforeAll(async () => {
    t = await startTestHall();
    admin = await t.login();
    kiosk = (await t.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '打印测试取号机' }, admin)).body;
    const dev = await t.api<{ id: string }>('POST', '/api/devices', { kind: 'printer', name: '打印测试打印机', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id } }, admin);
    expect(dev.status).toBe(201);
    printerId = dev.body.id;
    serviceId = ((await t.api<ServiceSummary[]>('GET', '/api/services')).body.find((s) => s.open) as ServiceSummary).id;
  });
  afterAll(() => t.close());

  const simulate = async (on: boolean) => {
    expect((await t.api('POST', `/api/devices/${printerId}/simulate`, { action: 'paper-out', on }, admin)).status).toBe(200);
  };

  it('confirms a printed slip, reports the first slip after paper out as failed, reprints once paper is back', async () => {
    const socket = connectSocket(t.url, '/kiosk', { token: kiosk.token });
    try {
      await nextEvent(socket, 'snapshot');
      const results: KioskPrintResult[] = [];
      socket.on('print-result', (r: KioskPrintResult) => results.push(r));
      const waitResult = async (ticketId: string): Promise<KioskPrintResult> => {
        for (let i = 0; i < 100 && !results.some((r) => r.ticketId === ticketId); i++) await new Promise((r) => setTimeout(r, 50));
        const found = results.filter((r) => r.ticketId === ticketId).at(-1);
        if (!found) throw new Error(`no print-result for ${ticketId}`);
        results.length = 0;
        return found;
      };

      const first = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId }, kiosk.token);
      expect(first.body.print).toBe('sent');
      expect(await waitResult(first.body.id)).toEqual({ ticketId: first.body.id, ok: true, code: null });

      await simulate(true);
      const second = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId }, kiosk.token);
      const r2 = await waitResult(second.body.id);
      // Whatever the 201 said ("sent" before the printer noticed, or "failed"), no slip came out.
      if (second.body.print === 'sent') expect(r2).toMatchObject({ ok: false, code: expect.stringMatching(/^PRINTER\./) });
      else expect(second.body.print).toBe('failed');

      await simulate(false);
      const again = await t.api<ReprintResponse>('POST', `/api/tickets/${second.body.id}/reprint`, undefined, kiosk.token);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ticketId: second.body.id, print: 'sent' });
      expect(await waitResult(second.body.id)).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  });

  it('reprints only at the kiosk that issued the ticket, while it is still active', async () => {
    const issued = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId }, kiosk.token);
    const other = (await t.api<{ token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '另一台取号机' }, admin)).body;
    expect((await t.api('POST', `/api/tickets/${issued.body.id}/reprint`, undefined, other.token)).status).toBe(404);
    expect((await t.api('POST', `/api/tickets/${issued.body.id}/reprint`, undefined, admin)).status).toBe(403);
    expect((await t.api('POST', `/api/tickets/${issued.body.id}/reprint`)).status).toBe(401);
    expect((await t.api('POST', '/api/tickets/nope/reprint', undefined, kiosk.token)).status).toBe(404);
    expect((await t.api('POST', `/api/tickets/${issued.body.id}/cancel`, undefined, admin)).status).toBe(200);
    expect((await t.api('POST', `/api/tickets/${issued.body.id}/reprint`, undefined, kiosk.token)).status).toBe(409);
  });
});
