import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Request, Response } from 'express';
import { loginLimit } from './rate-limit';

/** A response that records what was sent. */
function fakeResponse(): Response & { sent: number | null } {
  const res = {
    sent: null as number | null,
    destroyed: false,
    headersSent: false,
    status(code: number) {
      res.sent = code;
      return res;
    },
    setHeader: () => res,
    set: () => res,
    type: () => res,
    json: () => res,
    send: () => res,
    end: () => res,
  };
  return res as unknown as Response & { sent: number | null };
}
const login = (username: string): Request => ({ ip: '10.0.0.9', body: { username } }) as unknown as Request;
const settle = async (): Promise<void> => void (await vi.advanceTimersByTimeAsync(0));

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('loginLimit', () => {
  it('answers a refused attempt only after the hold, so a retry loop slows down', async () => {
    const mw = loginLimit(1, 100, { holdMs: 1000 });
    const next = vi.fn();
    mw(login('a'), fakeResponse(), next);
    await settle();
    expect(next).toHaveBeenCalledTimes(1);
    const res = fakeResponse();
    mw(login('b'), res, next);
    await settle();
    expect(res.sent).toBeNull();
    await vi.advanceTimersByTimeAsync(999);
    expect(res.sent).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(res.sent).toBe(429);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('holds at most maxHeld answers; the rest are answered at once', async () => {
    const mw = loginLimit(1, 100, { holdMs: 1000, maxHeld: 2 });
    mw(login('a'), fakeResponse(), vi.fn());
    const answers = [fakeResponse(), fakeResponse(), fakeResponse()];
    for (const res of answers) mw(login('b'), res, vi.fn());
    await settle();
    expect(answers.map((r) => r.sent)).toEqual([null, null, 429]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(answers.map((r) => r.sent)).toEqual([429, 429, 429]);
  });
});
