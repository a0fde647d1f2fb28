/** What the display UI's Chromium tests add to scripts/e2e-hall.ts: a clerk signed in over the API, tickets from a kiosk token. */
import type { CounterView, IssueTicketResponse, LoginResponse } from '@hall/protocol';
import type { E2eHall } from '../../scripts/e2e-hall';

/** A clerk (name and staff number shown on screens) signed in at `counter`; the clerk's token. */
export async function clerkAt(h: E2eHall, counter: CounterView, username: string, name: string, staffNo: string): Promise<string> {
  const password = `${username}-password-1`;
  await h.api('POST', '/api/users', { username, name, staffNo, role: 'clerk', password }, await h.adminToken());
  const token = (await h.api<LoginResponse>('POST', '/api/auth/login', { username, password })).token;
  await h.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, token);
  return token;
}

/** Issues tickets as a kiosk terminal would. */
export async function kioskIssuer(h: E2eHall): Promise<(serviceId: string) => Promise<IssueTicketResponse>> {
  const kiosk = await h.api<{ token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: 'E2E 取号机' }, await h.adminToken());
  return (serviceId) => h.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId }, kiosk.token);
}
