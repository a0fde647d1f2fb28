import { describe, expect, it, vi } from 'vitest';
import { createScreenKeeper } from './wake-lock';

function fakeApi(refuse = false) {
  const locks: { released: boolean; release: () => Promise<void> }[] = [];
  const api = {
    request: vi.fn(async () => {
      if (refuse) throw new Error('NotAllowedError');
      const l = { released: false, release: async () => void (l.released = true) };
      locks.push(l);
      return l;
    }),
  };
  return { api, locks };
}

describe('screen keeper', () => {
  it('takes one lock, keeps it, and lets it go when the ticket is over', async () => {
    const { api, locks } = fakeApi();
    const k = createScreenKeeper(api);
    expect(await k.keep()).toBe(true);
    expect(await k.keep()).toBe(true);
    expect(api.request).toHaveBeenCalledTimes(1);
    k.release();
    expect(locks[0]?.released).toBe(true);
  });
  it('asks once for a touch and the click right after it', async () => {
    const { api } = fakeApi();
    const k = createScreenKeeper(api);
    expect(await Promise.all([k.keep(), k.keep()])).toEqual([true, true]);
    expect(api.request).toHaveBeenCalledTimes(1);
  });
  it('takes a new lock after the browser dropped it', async () => {
    const { api, locks } = fakeApi();
    const k = createScreenKeeper(api);
    await k.keep();
    (locks[0] as { released: boolean }).released = true;
    expect(await k.keep()).toBe(true);
    expect(api.request).toHaveBeenCalledTimes(2);
  });
  it('says no when there is no API or the browser refuses', async () => {
    const none = createScreenKeeper(undefined);
    expect(none.supported).toBe(false);
    expect(await none.keep()).toBe(false);
    expect(await createScreenKeeper(fakeApi(true).api).keep()).toBe(false);
  });
});
