import { describe, expect, it } from 'vitest';
import { OrderingPolicy } from '@hall/protocol';
import { patchPolicyBody, policyForm } from './admin-policy-form';

describe('ordering policy form', () => {
  const before = policyForm({ policy: OrderingPolicy.parse({}), terminalTicketsPerMinute: 30 });
  it('sends only the knobs that changed', () => {
    expect(patchPolicyBody(before, { ...before, agingMinutes: '45', appointmentLeadMinutes: '15' })).toEqual({ ok: true, value: { policy: { agingMinutes: 45, appointmentLeadMinutes: 15 } } });
    expect(patchPolicyBody(before, { ...before, terminalTicketsPerMinute: '10' })).toEqual({ ok: true, value: { terminalTicketsPerMinute: 10 } });
    expect(patchPolicyBody(before, before)).toEqual({ ok: true, value: {} });
  });
  it('refuses empty, out-of-range and starving settings in Chinese', () => {
    expect(patchPolicyBody(before, { ...before, recallLimit: '' })).toEqual({ ok: false, error: '请填写「重呼次数上限」' });
    const r = patchPolicyBody(before, { ...before, priorityShare: '99' });
    expect(!r.ok && r.error).toMatch(/^优先号比例（policy\.priorityShare）：/);
    expect(patchPolicyBody(before, { ...before, elderlyAge: '6.5' }).ok).toBe(false);
    expect(patchPolicyBody(before, { ...before, normalShare: '0', agingMinutes: '0' })).toMatchObject({ ok: false, error: expect.stringMatching(/^普通号每轮为 0/) });
    expect(patchPolicyBody(before, { ...before, normalShare: '0' }).ok).toBe(true);
  });
});
