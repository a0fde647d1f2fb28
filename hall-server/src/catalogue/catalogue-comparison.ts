/**
 * 统一事项清单 statistics across halls: per catalogue code, each hall's figures for the service it
 * adopted from that item. Halls name services by their own ids; the reported directory maps them
 * to codes, so the same 事项 is compared however each hall set it up.
 */
import type { CatalogueComparisonRow, CatalogueItem, StatsSummary } from '@hall/protocol';
import type { ReportedService } from './hall-service-directory';

/** Per hall: its summary over the range (narrowed to that hall) and its services with codes. */
export interface HallFigures {
  hallId: string;
  services: readonly ReportedService[];
  summary: Pick<StatsSummary, 'byService'>;
}

export function compareByCode(items: readonly Pick<CatalogueItem, 'code' | 'name'>[], halls: readonly HallFigures[]): CatalogueComparisonRow[] {
  return items.map((item) => ({
    code: item.code,
    name: item.name,
    halls: halls.flatMap((h) =>
      h.services
        .filter((s) => s.catalogueCode === item.code)
        .map((s) => {
          const row = h.summary.byService.find((r) => r.serviceId === s.id);
          return {
            hallId: h.hallId,
            serviceId: s.id,
            serviceName: s.name,
            issued: row?.issued ?? 0,
            served: row?.served ?? 0,
            waitMeanMinutes: row?.waitMinutes.mean ?? null,
            satisfaction: row?.ratings.satisfaction ?? null,
          };
        }),
    ),
  }));
}

/**
 * A downstream hall's statistics read at its upstream: its service rows named as that hall
 * reported them, with their catalogue codes (the upstream's own config knows other services,
 * possibly under the same ids).
 */
export function labelReportedServices<S extends Pick<StatsSummary, 'byService'>>(summary: S, services: readonly ReportedService[] | undefined): S {
  if (!services) return summary;
  const byId = new Map(services.map((s) => [s.id, s]));
  return {
    ...summary,
    byService: summary.byService.map((r) => {
      const s = byId.get(r.serviceId);
      return { ...r, name: s?.name ?? r.serviceId, catalogueCode: s?.catalogueCode ?? null };
    }),
  };
}
