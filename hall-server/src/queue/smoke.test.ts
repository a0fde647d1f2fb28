import { describe, expect, it } from 'vitest';
import { replay } from './apply';
import { queueSnapshot, ticketView } from './views';
import { DAY, TestHall } from './test-support';

describe('smoke', () => {
  it('issues, calls and serves', () => {
    const h = new TestHall();
    const a = h.issue('A');
    const b = h.issue('A');
    expect(h.number(a)).toBe('A001');
    expect(h.number(b)).toBe('A002');
    h.signIn('c1', 'u1');
    expect(h.callNext('c1')).toBe(a);
    h.advance(5);
    expect(h.callNext('c1')).toBe(b);
    // Call-next closes the called ticket as served: no-show only by the 过号 action.
    expect(h.ticket(a).status).toBe('done');
    expect(replay(DAY, h.events)).toEqual(h.state);
    expect(ticketView(h.state, b, h.view())?.status).toBe('called');
    expect(queueSnapshot(h.state, h.view()).recentCalls[0]?.phrase).toBe('请A002号到1号窗口办理');
  });
});
