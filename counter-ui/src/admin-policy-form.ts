/**
 * The ordering policy (DESIGN.md rules 1–4) and the kiosk rate, as the admin edits them. An edit
 * sends only what changed, so a knob this form does not show keeps its value on the server.
 */
import { PatchHallRequest, type Hall, type OrderingPolicy } from '@hall/protocol';
import { changedFields, check, num, str, type Checked } from './admin-forms';

export const POLICY_KEYS = ['agingMinutes', 'priorityShare', 'normalShare', 'requeueOffset', 'recallLimit', 'elderlyAge', 'appointmentLeadMinutes'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export type PolicyForm = Record<PolicyKey | 'terminalTicketsPerMinute', string>;

/** Label and help of each knob, Chinese first. */
export const POLICY_LABELS: Record<keyof PolicyForm, { zh: string; en: string; help: string }> = {
  agingMinutes: { zh: '超时优先（分钟）', en: 'Aging bound', help: '等候超过该时长的号码优先叫号；0 = 不启用' },
  priorityShare: { zh: '优先号（每轮）', en: 'Priority per cycle', help: '老年人、军人等优先号与普通号同时等候时，每轮先叫几个优先号' },
  normalShare: { zh: '普通号（每轮）', en: 'Normal per cycle', help: '每轮再叫几个普通号；例如 1:2 即叫 1 个优先号后叫 2 个普通号' },
  requeueOffset: { zh: '过号重排位置', en: 'No-show requeue offset', help: '过号后重新取回时排在队首之后第几位' },
  recallLimit: { zh: '重呼次数上限', en: 'Recall limit', help: '同一号码最多重呼几次，之后须标记过号' },
  elderlyAge: { zh: '老年人年龄', en: 'Elderly from age', help: '刷身份证取号时，达到该年龄自动按老年人优先' },
  appointmentLeadMinutes: { zh: '预约提前（分钟）', en: 'Appointment lead', help: '预约号在预约时段开始前多少分钟起优先叫号' },
  terminalTicketsPerMinute: { zh: '每台取号机每分钟出票上限', en: 'Kiosk tickets per minute', help: '防止恶意连续取号；工作人员代取不受限' },
};

export function policyForm(hall: Pick<Hall, 'policy' | 'terminalTicketsPerMinute'>): PolicyForm {
  const f = { terminalTicketsPerMinute: str(hall.terminalTicketsPerMinute) } as PolicyForm;
  for (const k of POLICY_KEYS) f[k] = str(hall.policy[k]);
  return f;
}

function policyFields(f: PolicyForm): Partial<OrderingPolicy> {
  const out: Partial<OrderingPolicy> = {};
  for (const k of POLICY_KEYS) {
    const v = num(f[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function patchPolicyBody(original: PolicyForm, f: PolicyForm): Checked<PatchHallRequest> {
  for (const k of Object.keys(f) as (keyof PolicyForm)[]) {
    if (f[k].trim() === '') return { ok: false, error: `请填写「${POLICY_LABELS[k].zh}」` };
  }
  const num1 = num(f.normalShare);
  const pri = num(f.priorityShare);
  if (num1 === 0 && pri !== undefined && pri > 0 && num(f.agingMinutes) === 0) {
    return { ok: false, error: '普通号每轮为 0 且未启用超时优先时，普通号可能一直叫不到 Normal tickets could wait forever' };
  }
  const policy = changedFields(policyFields(original), policyFields(f));
  const body: Record<string, unknown> = {};
  if (Object.keys(policy).length) body.policy = policy;
  if (f.terminalTicketsPerMinute !== original.terminalTicketsPerMinute) body.terminalTicketsPerMinute = num(f.terminalTicketsPerMinute);
  return check(PatchHallRequest, body);
}
