/**
 * The catalogue's rules, pure: creating and changing items (versions), the effective catalogue a
 * hall offers (its upstream's items, then its own), and adopting an item into a local service.
 * No I/O, no clock: callers pass the time.
 */
import {
  fail,
  ok,
  type CatalogueEntry,
  type CatalogueItem,
  type CreateCatalogueItemRequest,
  type PatchCatalogueItemRequest,
  type Result,
  type Service,
} from '@hall/protocol';

/** What an adopted service takes from its item. */
export type AdoptedFields = Pick<Service, 'name' | 'category' | 'materials' | 'completionWorkingDays' | 'waitLimitMinutes' | 'serviceLimitMinutes' | 'catalogueCode' | 'catalogueVersion'>;

/** A new local item; a code already used here or upstream is a conflict (codes name one item county-wide). */
export function createItem(local: readonly CatalogueItem[], upstream: readonly CatalogueItem[], req: CreateCatalogueItemRequest, at: string): Result<CatalogueItem> {
  if (local.some((i) => i.code === req.code) || upstream.some((i) => i.code === req.code)) {
    return fail('CONFIG.CONFLICT', `catalogue code ${req.code} exists`);
  }
  return ok({
    code: req.code,
    name: req.name,
    category: req.category,
    materials: req.materials ?? [],
    completionWorkingDays: req.completionWorkingDays ?? 0,
    waitLimitMinutes: req.waitLimitMinutes ?? 30,
    serviceLimitMinutes: req.serviceLimitMinutes ?? 20,
    version: 1,
    updatedAt: at,
    withdrawn: false,
  });
}

/** The item after `patch`: one version more, unless nothing actually changed (a repeated PATCH). */
export function patchItem(item: CatalogueItem, patch: PatchCatalogueItemRequest, at: string): CatalogueItem {
  const next = { ...item, ...patch };
  const changed = (Object.keys(patch) as Array<keyof PatchCatalogueItemRequest>).some((k) => JSON.stringify(item[k]) !== JSON.stringify(next[k]));
  return changed ? { ...next, version: item.version + 1, updatedAt: at } : item;
}

/**
 * What this hall offers downstream and may adopt itself: the upstream's items first (a township
 * relays the county's catalogue to its villages), then its own items with other codes.
 */
export function effectiveItems(local: readonly CatalogueItem[], upstream: readonly CatalogueItem[]): Array<CatalogueItem & { origin: 'local' | 'upstream' }> {
  const codes = new Set(upstream.map((i) => i.code));
  return [...upstream.map((i) => ({ ...i, origin: 'upstream' as const })), ...local.filter((i) => !codes.has(i.code)).map((i) => ({ ...i, origin: 'local' as const }))];
}

/** The effective catalogue with, per item, the local services adopted from it and whether they lag. */
export function catalogueEntries(local: readonly CatalogueItem[], upstream: readonly CatalogueItem[], services: readonly Service[]): CatalogueEntry[] {
  return effectiveItems(local, upstream).map((item) => ({
    ...item,
    adoptedBy: services
      .filter((s) => s.catalogueCode === item.code)
      .map((s) => ({ serviceId: s.id, name: s.name, version: s.catalogueVersion, outdated: (s.catalogueVersion ?? 0) < item.version })),
  }));
}

/** The service fields an adoption sets (or refreshes, when the item changed). */
export function adoptedFields(item: CatalogueItem): AdoptedFields {
  return {
    name: item.name,
    category: item.category,
    materials: [...item.materials],
    completionWorkingDays: item.completionWorkingDays,
    waitLimitMinutes: item.waitLimitMinutes,
    serviceLimitMinutes: item.serviceLimitMinutes,
    catalogueCode: item.code,
    catalogueVersion: item.version,
  };
}

/** An item may be adopted while offered; a withdrawn one only refreshes services that already carry it. */
export function adoptable(item: CatalogueItem | undefined, code: string, intoServiceCode: string | null | undefined): Result<CatalogueItem> {
  if (!item) return fail('CATALOGUE.NOT_FOUND', `no catalogue item ${code}`);
  if (item.withdrawn && intoServiceCode !== item.code) return fail('CONFIG.CONFLICT', `catalogue item ${code} is withdrawn`);
  return ok(item);
}
