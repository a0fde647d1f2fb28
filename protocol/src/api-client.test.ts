import { describe, expect, it } from 'vitest';
import { ApiError, apiRequest, errorFromResponse } from './api-client';

describe('errorFromResponse', () => {
  it('keeps the hall error body', () => {
    expect(errorFromResponse(422, { error: { code: 'QUEUE.QUOTA_REACHED', message: 'quota' } }, null)).toEqual({
      code: 'QUEUE.QUOTA_REACHED',
      message: 'quota',
    });
  });
  it('derives a code from the status for foreign bodies and adds Retry-After', () => {
    expect(errorFromResponse(404, null, null).code).toBe('ROUTE.NOT_FOUND');
    expect(errorFromResponse(502, '<html>', null).code).toBe('SERVER.INTERNAL');
    expect(errorFromResponse(429, { error: { code: 'RATE.LIMITED', message: 'slow' } }, '7')).toEqual({
      code: 'RATE.LIMITED',
      message: 'slow',
      details: { retryAfter: 7 },
    });
  });
});

describe('apiRequest', () => {
  it('sends the bearer token and JSON body', async () => {
    let seen: RequestInit | undefined;
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      seen = init;
      return new Response(JSON.stringify({ id: 't1' }), { status: 201 });
    }) as unknown as typeof fetch;
    const out = await apiRequest<{ id: string }>('POST', '/api/tickets', { token: 'k', body: { serviceId: 's' }, fetchImpl });
    expect(out).toEqual({ id: 't1' });
    expect((seen?.headers as Record<string, string>).Authorization).toBe('Bearer k');
    expect(seen?.body).toBe('{"serviceId":"s"}');
  });
  it('turns a failed response and a network failure into coded errors', async () => {
    const failing = (async () => new Response('{"error":{"code":"QUEUE.ID_REQUIRED","message":"x"}}', { status: 422 })) as unknown as typeof fetch;
    await expect(apiRequest('POST', '/x', { fetchImpl: failing })).rejects.toMatchObject({ status: 422, error: { code: 'QUEUE.ID_REQUIRED' } });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    const err = await apiRequest('GET', '/x', { fetchImpl: down }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).error.code).toBe('SERVER.UNAVAILABLE');
  });
});
