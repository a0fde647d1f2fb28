import { describe, expect, it } from 'vitest';
import { describeError, messageFor } from './error-messages';

describe('staff messages', () => {
  it('has a sentence for the counter codes', () => {
    expect(messageFor('COUNTER.OCCUPIED').zh).toContain('其他工作人员');
    expect(messageFor('QUEUE.RECALL_LIMIT').zh).toContain('过号');
  });
  it('adds the server detail only where it helps', () => {
    expect(describeError({ code: 'PROTOCOL.INVALID_PAYLOAD', message: 'prefix: one or two capital letters' })).toBe(
      '输入内容有误：prefix: one or two capital letters（PROTOCOL.INVALID_PAYLOAD）',
    );
    expect(describeError({ code: 'QUEUE.INVALID_STATE', message: 'counter is paused' })).toBe('当前状态下不能执行此操作（QUEUE.INVALID_STATE）');
    expect(describeError({ code: 'NEW.CODE', message: 'x' })).toBe('操作失败：x（NEW.CODE）');
  });
});
