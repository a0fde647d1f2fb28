/**
 * The catalogue page's logic, without a DOM: the item form to a request (checked with the
 * protocol's own schemas, so the page refuses what the server would), and the words for an
 * item's state at this hall.
 */
import { CreateCatalogueItemRequest, PatchCatalogueItemRequest, describeZodError, type CatalogueEntry, type CatalogueItem } from '@hall/protocol';

/** The form as typed: every field a string; materials one per line. */
export interface ItemForm {
  code: string;
  name: string;
  category: string;
  materials: string;
  completionWorkingDays: string;
  waitLimitMinutes: string;
  serviceLimitMinutes: string;
}

export const EMPTY_FORM: ItemForm = { code: '', name: '', category: '', materials: '', completionWorkingDays: '0', waitLimitMinutes: '30', serviceLimitMinutes: '20' };

export function formOf(item: CatalogueItem): ItemForm {
  return {
    code: item.code,
    name: item.name,
    category: item.category,
    materials: item.materials.join('\n'),
    completionWorkingDays: String(item.completionWorkingDays),
    waitLimitMinutes: String(item.waitLimitMinutes),
    serviceLimitMinutes: String(item.serviceLimitMinutes),
  };
}

/** Lines of the materials box: trimmed, blank lines and list bullets dropped. */
export function materialsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-*•·]|\d+[.、)])\s*/, '').trim())
    .filter((l) => l.length > 0);
}

const FIELD_ZH: Record<string, string> = {
  code: '事项编码',
  name: '事项名称',
  category: '类别',
  materials: '申请材料',
  completionWorkingDays: '承诺办结时限',
  waitLimitMinutes: '等候时限',
  serviceLimitMinutes: '办理时限',
};

/** "" → NaN, so an emptied number box is refused rather than read as 0. */
const int = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s.trim()));

function fields(f: ItemForm) {
  return {
    name: f.name.trim(),
    category: f.category.trim(),
    materials: materialsOf(f.materials),
    completionWorkingDays: int(f.completionWorkingDays),
    waitLimitMinutes: int(f.waitLimitMinutes),
    serviceLimitMinutes: int(f.serviceLimitMinutes),
  };
}

export type FormResult<T> = { ok: true; body: T } | { ok: false; message: string };

function explain(error: { issues: Array<{ path: PropertyKey[] }> } & Parameters<typeof describeZodError>[0]): string {
  const first = error.issues[0]?.path[0];
  const zh = typeof first === 'string' ? FIELD_ZH[first] : undefined;
  return `${zh ? `${zh}有误：` : ''}${describeZodError(error)}`;
}

export function createBody(f: ItemForm): FormResult<CreateCatalogueItemRequest> {
  const r = CreateCatalogueItemRequest.safeParse({ code: f.code.trim(), ...fields(f) });
  return r.success ? { ok: true, body: r.data } : { ok: false, message: explain(r.error) };
}

/** Only what differs from the item (a PATCH with nothing in it is refused by the server). */
export function patchBody(item: CatalogueItem, f: ItemForm): FormResult<PatchCatalogueItemRequest> | { ok: true; body: null } {
  const next = fields(f);
  const diff: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) if (JSON.stringify(v) !== JSON.stringify(item[k as keyof CatalogueItem])) diff[k] = v;
  if (Object.keys(diff).length === 0) return { ok: true, body: null };
  const r = PatchCatalogueItemRequest.safeParse(diff);
  return r.success ? { ok: true, body: r.data } : { ok: false, message: explain(r.error) };
}

export type EntryState = 'withdrawn' | 'outdated' | 'adopted' | 'not-adopted';

export function entryState(e: CatalogueEntry): EntryState {
  if (e.adoptedBy.some((a) => a.outdated)) return 'outdated';
  if (e.withdrawn) return 'withdrawn';
  return e.adoptedBy.length > 0 ? 'adopted' : 'not-adopted';
}

export const ENTRY_STATE_ZH: Record<EntryState, string> = { withdrawn: '已停用', outdated: '有更新', adopted: '已采用', 'not-adopted': '未采用' };

/** "5 个工作日" / "即办". */
export function completionText(days: number): string {
  return days === 0 ? '即办' : `${days} 个工作日`;
}

/** A free ticket prefix for a new service: the first of A–Z not used here. */
export function freePrefix(used: readonly string[]): string | null {
  for (let c = 65; c <= 90; c++) {
    const p = String.fromCharCode(c);
    if (!used.includes(p)) return p;
  }
  return null;
}
