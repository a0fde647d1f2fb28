/**
 * Admin forms ↔ request bodies. Form values are strings and booleans as the inputs hold them;
 * bodies are checked with the protocol's own schemas before they are sent, and an edit sends
 * only the fields that changed (so a field this form does not show is never overwritten).
 */
import {
  CreateCounterRequest,
  CreateServiceRequest,
  CreateTerminalRequest,
  CreateUserRequest,
  PatchCounterRequest,
  PatchHallRequest,
  PatchServiceRequest,
  describeZodError,
  type Hall,
  type Hours,
  type Service,
  type UiError,
} from '@hall/protocol';
import { describeError } from './error-messages';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

type SchemaError = Parameters<typeof describeZodError>[0];
interface Schema<T> {
  safeParse(body: unknown): { success: true; data: T } | { success: false; error: SchemaError };
}

export function check<T>(schema: Schema<T>, body: unknown): Checked<T> {
  const r = schema.safeParse(body);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: zhFieldErrors(describeZodError(r.error)) };
}

/** What staff call each field the forms send, so an error names it in Chinese first. */
const FIELD_ZH: Record<string, string> = {
  name: '名称', nameEn: '英文名', category: '类别', prefix: '号码前缀', dailyQuota: '每日限额', perIdDailyLimit: '每证每日限取',
  waitLimitMinutes: '等候时限', serviceLimitMinutes: '办理时限', completionWorkingDays: '法定办结时限', sort: '排序',
  numberStart: '起始号', numberEnd: '结束号', ticketHours: '取号时间', hours: '办公时间', open: '办公时间', lunch: '午休',
  start: '开始', end: '结束', weekdays: '工作日', number: '窗口号', services: '办理业务', weight: '业务权重', zone: '区域', username: '用户名', staffNo: '工号', role: '角色',
  password: '密码', newPassword: '新密码', currentPassword: '当前密码', kind: '类型', transport: '连接方式', path: '端口路径',
  baudRate: '波特率', flowControl: '流控', host: '主机地址', port: '端口号', vendorId: '厂商ID (VID)', productId: '产品ID (PID)',
  serialNumber: '序列号', tool: '厂商工具名', address: '总线地址', profile: '协议/预设', options: '高级选项', attachedTo: '所属终端或窗口',
  publicUrl: '对外访问地址', text: '公告内容', from: '开始日期', to: '结束日期', notices: '公告', calendar: '节假日', holidays: '法定节假日', workdays: '调休上班日',
  policy: '叫号规则', agingMinutes: '超时优先（分钟）', priorityShare: '优先号比例', normalShare: '普通号比例', requeueOffset: '过号重排位置',
  recallLimit: '重呼次数上限', elderlyAge: '老年人年龄', appointmentLeadMinutes: '预约提前（分钟）', terminalTicketsPerMinute: '每台取号机每分钟出票上限',
};

/** A server refusal as a form shows it: the Chinese sentence, the field named in Chinese, the code. */
export function serverError(e: UiError): string {
  return describeError({ ...e, message: zhFieldErrors(e.message) });
}

/** `transport.baudRate: Too small…; name: …` → `波特率 (transport.baudRate)：Too small…；…` (the zod detail stays, for the exact rule). */
export function zhFieldErrors(detail: string): string {
  return detail
    .split('; ')
    .map((part) => {
      const m = /^([A-Za-z0-9_.[\]]+): (.*)$/.exec(part);
      if (!m) return part;
      const keys = (m[1] as string).split(/[.[\]]+/).filter((k) => k && !/^\d+$/.test(k));
      const label = FIELD_ZH[keys.at(-1) ?? ''];
      return label ? `${label}（${m[1]}）：${m[2]}` : `${m[1]}：${m[2]}`;
    })
    .join('；');
}

/** Keys of `after` whose value differs from `before` (deep, by JSON). */
export function changedFields<T extends Record<string, unknown>>(before: Partial<T>, after: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (after[key] === undefined) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = after[key];
  }
  return out;
}

export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** '' → undefined (leave as is), otherwise a number (NaN kept so the schema reports it). */
export function num(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

// ---------------- opening / ticket hours ----------------

/** An `Hours` as the inputs hold it: the hall's opening hours, or a service's own ticket hours. */
export interface HoursForm {
  openStart: string;
  openEnd: string;
  lunchStart: string;
  lunchEnd: string;
  weekdays: number[];
  allDay: boolean;
}

export function hoursForm(h: Partial<Hours> | null | undefined): HoursForm {
  return {
    openStart: h?.open?.start ?? '09:00',
    openEnd: h?.open?.end ?? '17:00',
    lunchStart: h?.lunch?.start ?? '',
    lunchEnd: h?.lunch?.end ?? '',
    weekdays: [...(h?.weekdays ?? [1, 2, 3, 4, 5])].sort(),
    allDay: h?.allDay ?? false,
  };
}

export function hoursFields(f: HoursForm) {
  const lunch = f.lunchStart && f.lunchEnd ? { start: f.lunchStart, end: f.lunchEnd } : null;
  return { open: { start: f.openStart, end: f.openEnd }, lunch, weekdays: [...f.weekdays].sort(), allDay: f.allDay };
}

/** What the schema cannot say: half a lunch break, or a lunch outside the day. Null when fine. */
export function hoursProblem(f: HoursForm): string | null {
  if ((f.lunchStart === '') !== (f.lunchEnd === '')) return '午休须同时填写开始和结束时间 Lunch needs both times';
  if (f.lunchStart && (f.lunchStart < f.openStart || f.lunchEnd > f.openEnd)) return '午休须在办公时间之内 Lunch must lie within the opening hours';
  if (!f.allDay && f.weekdays.length === 0) return '请至少选择一个工作日 Choose at least one weekday';
  return null;
}

// ---------------- services ----------------

export interface ServiceForm {
  name: string;
  nameEn: string;
  category: string;
  prefix: string;
  dailyQuota: string;
  perIdDailyLimit: string;
  idRequired: boolean;
  materials: string;
  waitLimitMinutes: string;
  serviceLimitMinutes: string;
  completionWorkingDays: string;
  enabled: boolean;
  sort: string;
  numberStart: string;
  numberEnd: string;
  /** false: the service issues in the hall's hours (ticketHours null). */
  ownHours: boolean;
  hours: HoursForm;
}

export const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export function serviceForm(s: Partial<Service> = {}): ServiceForm {
  return {
    name: s.name ?? '',
    nameEn: s.nameEn ?? '',
    category: s.category ?? '',
    prefix: s.prefix ?? '',
    dailyQuota: str(s.dailyQuota),
    perIdDailyLimit: str(s.perIdDailyLimit),
    idRequired: s.idRequired ?? false,
    materials: (s.materials ?? []).join('\n'),
    waitLimitMinutes: str(s.waitLimitMinutes),
    serviceLimitMinutes: str(s.serviceLimitMinutes),
    completionWorkingDays: str(s.completionWorkingDays),
    enabled: s.enabled ?? true,
    sort: str(s.sort),
    numberStart: str(s.numberStart),
    numberEnd: str(s.numberEnd),
    ownHours: !!s.ticketHours,
    hours: hoursForm(s.ticketHours),
  };
}

function serviceFields(f: ServiceForm) {
  return {
    name: f.name.trim(),
    nameEn: f.nameEn.trim(),
    category: f.category.trim(),
    prefix: f.prefix.trim().toUpperCase(),
    dailyQuota: num(f.dailyQuota),
    perIdDailyLimit: num(f.perIdDailyLimit),
    idRequired: f.idRequired,
    materials: lines(f.materials),
    waitLimitMinutes: num(f.waitLimitMinutes),
    serviceLimitMinutes: num(f.serviceLimitMinutes),
    completionWorkingDays: num(f.completionWorkingDays),
    enabled: f.enabled,
    sort: num(f.sort),
    numberStart: num(f.numberStart),
    numberEnd: num(f.numberEnd),
    ticketHours: f.ownHours ? hoursFields(f.hours) : null,
  };
}

function serviceProblem(f: ServiceForm): string | null {
  const start = num(f.numberStart);
  const end = num(f.numberEnd);
  if (start !== undefined && end !== undefined && start > end) return '结束号（numberEnd）：不能小于起始号 must not be below numberStart';
  return f.ownHours ? hoursProblem(f.hours) : null;
}

export function createServiceBody(f: ServiceForm): Checked<CreateServiceRequest> {
  const problem = serviceProblem(f);
  if (problem) return { ok: false, error: problem };
  const fields = serviceFields(f);
  const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '' && v !== null));
  return check(CreateServiceRequest, body);
}

export function patchServiceBody(original: ServiceForm, f: ServiceForm): Checked<PatchServiceRequest> {
  const problem = serviceProblem(f);
  if (problem) return { ok: false, error: problem };
  return check(PatchServiceRequest, changedFields(serviceFields(original), serviceFields(f)));
}

// ---------------- counters ----------------

export interface CounterForm {
  number: string;
  name: string;
  serviceIds: string[];
  /** Rule 4: a service's head ticket waits count this many times at this counter ('' = 1). */
  weights: Record<string, string>;
  zone: string;
  enabled: boolean;
}

type CounterInput = { number?: number; name?: string; services?: { serviceId: string; weight: number }[]; serviceIds?: string[]; zone?: string | null; enabled?: boolean };

export function counterForm(c: CounterInput = {}): CounterForm {
  const links = c.services ?? (c.serviceIds ?? []).map((serviceId) => ({ serviceId, weight: 1 }));
  return {
    number: str(c.number),
    name: c.name ?? '',
    serviceIds: links.map((l) => l.serviceId),
    weights: Object.fromEntries(links.map((l) => [l.serviceId, str(l.weight)])),
    zone: c.zone ?? '',
    enabled: c.enabled ?? true,
  };
}

function counterFields(f: CounterForm) {
  const services = [...f.serviceIds].sort().map((serviceId) => ({ serviceId, weight: num(f.weights[serviceId] ?? '') ?? 1 }));
  return { number: num(f.number), name: f.name.trim(), services, zone: f.zone.trim() || null, enabled: f.enabled };
}

export function createCounterBody(f: CounterForm) {
  return check(CreateCounterRequest, counterFields(f));
}

export function patchCounterBody(original: CounterForm, f: CounterForm) {
  return check(PatchCounterRequest, changedFields(counterFields(original), counterFields(f)));
}

// ---------------- hall ----------------

export interface HallForm {
  name: string;
  level: string;
  hours: HoursForm;
  phraseTemplate: string;
  /** What ticket QR codes point at ('' = the server's address; HALL_PUBLIC_URL wins). */
  publicUrl: string;
}

export function hallForm(h: Partial<Hall> = {}): HallForm {
  return { name: h.name ?? '', level: h.level ?? 'county', hours: hoursForm(h.hours), phraseTemplate: h.phraseTemplate ?? '', publicUrl: h.publicUrl ?? '' };
}

function hallFields(f: HallForm) {
  return {
    name: f.name.trim(),
    level: f.level,
    hours: hoursFields(f.hours),
    phraseTemplate: f.phraseTemplate.trim() || undefined,
    publicUrl: f.publicUrl.trim().replace(/\/+$/, '') || null,
  };
}

export function patchHallBody(original: HallForm, f: HallForm): Checked<PatchHallRequest> {
  const problem = hoursProblem(f.hours);
  if (problem) return { ok: false, error: problem };
  return check(PatchHallRequest, changedFields(hallFields(original), hallFields(f)));
}

// ---------------- users, terminals ----------------

export interface UserForm {
  username: string;
  name: string;
  staffNo: string;
  role: string;
  password: string;
}

export function createUserBody(f: UserForm) {
  return check(CreateUserRequest, { username: f.username.trim(), name: f.name.trim(), staffNo: f.staffNo.trim(), role: f.role, password: f.password });
}

export interface TerminalForm {
  kind: string;
  name: string;
  zone: string;
}

export function createTerminalBody(f: TerminalForm) {
  return check(CreateTerminalRequest, { kind: f.kind, name: f.name.trim(), zone: f.zone.trim() || null });
}

/** The address a new terminal opens, token included (shown once). */
export function terminalUrl(origin: string, kind: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/${kind === 'display' ? 'display' : 'kiosk'}?token=${encodeURIComponent(token)}`;
}
