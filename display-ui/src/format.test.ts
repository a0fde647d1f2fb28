import { describe, expect, it } from 'vitest';
import { counterStatus, counterTitle, formatWait, goToCounter, TICKET_STATUS } from './format';

describe('display format', () => {
  it('describes counters', () => {
    expect(counterStatus({ state: 'paused', pauseReason: '午休', currentTicket: null })).toEqual({ zh: '暂停服务（午休）', en: 'Paused', tone: 'paused' });
    expect(counterStatus({ state: 'closed', pauseReason: null, currentTicket: null }).tone).toBe('closed');
    expect(counterStatus({ state: 'open', pauseReason: null, currentTicket: null }).zh).toBe('等待叫号');
  });
  it('says 请到 for a ticket only called and 办理中 once it is served (issue #13 item 10)', () => {
    expect(counterStatus({ state: 'open', pauseReason: null, currentTicket: { id: 't', number: 'A1', status: 'called' } })).toEqual({ zh: '请到', en: 'Calling', tone: 'calling' });
    expect(counterStatus({ state: 'open', pauseReason: null, currentTicket: { id: 't', number: 'A1', status: 'serving' } })).toEqual({ zh: '办理中', en: 'Serving', tone: 'serving' });
  });
  it('says where to go and how long to wait', () => {
    expect(goToCounter(3).zh).toBe('请到3号窗口');
    expect(formatWait(null).zh).toBe('暂无估计');
    expect(formatWait(125).zh).toBe('约 2 小时 5 分钟');
    expect(TICKET_STATUS['no-show'].zh).toBe('已过号');
  });
});

describe('counterTitle', () => {
  it('drops the number the screen already shows', () => {
    expect(counterTitle(1, '1号窗口 社保医保')).toBe('社保医保');
    expect(counterTitle(2, '综合受理')).toBe('综合受理');
  });
});
