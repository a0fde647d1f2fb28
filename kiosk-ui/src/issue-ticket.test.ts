import { describe, expect, it } from 'vitest';
import type { IssueTicketResponse } from '@hall/protocol';
import { ApiError } from '@hall/protocol';
import { issueTicket } from './issue-ticket';

const ticket = { id: 't1', number: 'A001', print: 'sent' } as unknown as IssueTicketResponse;

describe('issueTicket', () => {
  it('uses the socket ack when connected', async () => {
    let httpCalls = 0;
    const r = await issueTicket(
      { serviceId: 's1', idCardToken: 'c1' },
      {
        socketIssue: async (req) => {
          expect(req).toEqual({ serviceId: 's1', idCardToken: 'c1' });
          return { ok: true, value: ticket };
        },
        httpIssue: async () => {
          httpCalls++;
          return ticket;
        },
      },
    );
    expect(r).toEqual({ ok: true, value: ticket, via: 'socket' });
    expect(httpCalls).toBe(0);
  });

  it('does not retry a refusal over HTTP', async () => {
    let httpCalls = 0;
    const r = await issueTicket(
      { serviceId: 's1' },
      {
        socketIssue: async () => ({ ok: false, error: { code: 'QUEUE.QUOTA_REACHED', message: 'q' } }),
        httpIssue: async () => {
          httpCalls++;
          return ticket;
        },
      },
    );
    expect(r).toEqual({ ok: false, error: { code: 'QUEUE.QUOTA_REACHED', message: 'q' } });
    expect(httpCalls).toBe(0);
  });

  it('falls back to HTTP on a timeout or with no socket', async () => {
    const timeout = await issueTicket(
      { serviceId: 's1' },
      { socketIssue: () => Promise.reject(new Error('operation has timed out')), httpIssue: async () => ticket },
    );
    expect(timeout).toEqual({ ok: true, value: ticket, via: 'http' });
    const offline = await issueTicket({ serviceId: 's1' }, { socketIssue: null, httpIssue: async () => ticket });
    expect(offline.ok && offline.via).toBe('http');
  });

  it('reports the HTTP error code', async () => {
    const r = await issueTicket(
      { serviceId: 's1' },
      {
        socketIssue: null,
        httpIssue: () => Promise.reject(new ApiError({ code: 'QUEUE.SERVICE_CLOSED', message: 'closed' }, 422)),
      },
    );
    expect(r).toEqual({ ok: false, error: { code: 'QUEUE.SERVICE_CLOSED', message: 'closed' } });
  });
});
