/**
 * The county-wide service catalogue (统一事项清单, API-EXTENSIONS "Service catalogue"): items an
 * upstream hall defines, the feed its downstream halls fetch with their hall token, and the
 * adoption of an item into a local service. An item's `code` (the 事项编码) never changes, so
 * statistics compare by it across halls.
 */
import { z } from 'zod';
import { CatalogueCode, CatalogueItem, CatalogueItemFields, Id, Prefix } from './config';

export const CreateCatalogueItemRequest = z
  .object(CatalogueItemFields)
  .partial()
  .required({ name: true, category: true })
  .extend({ code: CatalogueCode })
  .strict();
export type CreateCatalogueItemRequest = z.infer<typeof CreateCatalogueItemRequest>;

export const PatchCatalogueItemRequest = z
  .object({ ...CatalogueItemFields, withdrawn: z.boolean() })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });
export type PatchCatalogueItemRequest = z.infer<typeof PatchCatalogueItemRequest>;

/**
 * `POST /api/catalogue/:code/adopt`: into an existing service (`serviceId`; its name, materials
 * and limits are replaced) or into a new one (`prefix`, optional `id`).
 */
export const AdoptCatalogueItemRequest = z
  .object({ serviceId: Id, prefix: Prefix, id: Id })
  .partial()
  .strict()
  .refine((b) => (b.serviceId === undefined) !== (b.prefix === undefined), { message: 'give serviceId (an existing service) or prefix (a new one)' })
  .refine((b) => b.serviceId === undefined || b.id === undefined, { message: 'id only with prefix' });
export type AdoptCatalogueItemRequest = z.infer<typeof AdoptCatalogueItemRequest>;

const ReportedServices = z
  .array(z.object({ id: Id, name: z.string().min(1).max(40), catalogueCode: CatalogueCode.nullable() }).strict())
  .max(500);

/**
 * What a downstream hall tells its upstream when it fetches: its services and their codes, and
 * those its own downstream halls reported (a township for its villages; the upstream takes them
 * only for halls whose records that hall relays).
 */
export const CatalogueFeedRequest = z
  .object({
    /** Required: a body without it is no report (it would clear the hall's services here). */
    services: ReportedServices,
    relayed: z.array(z.object({ hallId: Id, services: ReportedServices }).strict()).max(1000).default([]),
  })
  .strict();
export type CatalogueFeedRequest = z.infer<typeof CatalogueFeedRequest>;

/** `POST /api/catalogue/feed` (hall token): the effective catalogue of the upstream hall. */
export const CatalogueFeed = z.object({
  /** The upstream hall's id. */
  hallId: Id,
  items: z.array(CatalogueItem).max(2000),
});
export type CatalogueFeed = z.infer<typeof CatalogueFeed>;

export type CatalogueOrigin = 'local' | 'upstream';

/** A local service that adopted an item. */
export interface CatalogueAdoption {
  serviceId: string;
  name: string;
  /** The item's version when adopted (or last updated from it). */
  version: number | null;
  /** The item changed since: 有更新. */
  outdated: boolean;
}

export interface CatalogueEntry extends CatalogueItem {
  /** `local`: defined at this hall (editable here); `upstream`: received from the upstream hall. */
  origin: CatalogueOrigin;
  adoptedBy: CatalogueAdoption[];
}

/** The downstream side of the link: the last fetch and its outcome. */
export interface CatalogueUpstreamStatus {
  url: string;
  /** The upstream hall's id, once fetched. */
  hallId: string | null;
  fetchedAt: string | null;
  lastAttemptAt: string | null;
  /** Why the last attempt failed (null after a success). */
  error: string | null;
  nextAttemptAt: string | null;
}

/** `GET /api/catalogue`. */
export interface CatalogueView {
  items: CatalogueEntry[];
  /** null: this hall has no upstream. */
  upstream: CatalogueUpstreamStatus | null;
}

/** `GET /api/catalogue/compare?from&to`: one catalogue item's figures at every hall that offers it. */
export interface CatalogueComparisonRow {
  code: string;
  name: string;
  halls: Array<{
    hallId: string;
    serviceId: string;
    serviceName: string;
    issued: number;
    served: number;
    waitMeanMinutes: number | null;
    satisfaction: number | null;
  }>;
}
