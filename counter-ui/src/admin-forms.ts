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
  type Service,
} from '@hall/protocol';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

type SchemaError = Parameters<typeof describeZodError>[0];
interface Schema<T> {
  safeParse(body: unknown): { success: true; data: T } | { success: false; error: SchemaError };
}

function check<T>(schema: Schema<T>, body: unknown): Checked<T> {
  const r = schema.safeParse(body);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeZodError(r.error) };
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
function num(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
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
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

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
  };
}

export function createServiceBody(f: ServiceForm) {
  const fields = serviceFields(f);
  const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));
  return check(CreateServiceRequest, body);
}

export function patchServiceBody(original: ServiceForm, f: ServiceForm) {
  return check(PatchServiceRequest, changedFields(serviceFields(original), serviceFields(f)));
}

// ---------------- counters ----------------

export interface CounterForm {
  number: string;
  name: string;
  serviceIds: string[];
  zone: string;
  enabled: boolean;
}

export function counterForm(c: { number?: number; name?: string; serviceIds?: string[]; zone?: string | null; enabled?: boolean } = {}): CounterForm {
  return { number: str(c.number), name: c.name ?? '', serviceIds: [...(c.serviceIds ?? [])], zone: c.zone ?? '', enabled: c.enabled ?? true };
}

function counterFields(f: CounterForm) {
  return { number: num(f.number), name: f.name.trim(), serviceIds: [...f.serviceIds].sort(), zone: f.zone.trim() || null, enabled: f.enabled };
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
  openStart: string;
  openEnd: string;
  lunchStart: string;
  lunchEnd: string;
  weekdays: number[];
  allDay: boolean;
  phraseTemplate: string;
}

export function hallForm(h: Partial<Hall> = {}): HallForm {
  return {
    name: h.name ?? '',
    level: h.level ?? 'county',
    openStart: h.hours?.open.start ?? '09:00',
    openEnd: h.hours?.open.end ?? '17:00',
    lunchStart: h.hours?.lunch?.start ?? '',
    lunchEnd: h.hours?.lunch?.end ?? '',
    weekdays: [...(h.hours?.weekdays ?? [1, 2, 3, 4, 5])].sort(),
    allDay: h.hours?.allDay ?? false,
    phraseTemplate: h.phraseTemplate ?? '',
  };
}

function hallFields(f: HallForm) {
  const lunch = f.lunchStart && f.lunchEnd ? { start: f.lunchStart, end: f.lunchEnd } : null;
  return {
    name: f.name.trim(),
    level: f.level,
    hours: { open: { start: f.openStart, end: f.openEnd }, lunch, weekdays: [...f.weekdays].sort(), allDay: f.allDay },
    phraseTemplate: f.phraseTemplate.trim() || undefined,
  };
}

export function patchHallBody(original: HallForm, f: HallForm) {
  if ((f.lunchStart === '') !== (f.lunchEnd === '')) return { ok: false as const, error: '午休须同时填写开始和结束时间' };
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
