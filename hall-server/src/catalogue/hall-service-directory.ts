/**
 * The upstream side's record of what each downstream hall reported with its last catalogue
 * fetch: its services and their catalogue codes. Statistics name services by each hall's own
 * ids; this maps them to the county-wide codes. Kept in `data/catalogue-halls.json`, written only
 * when a hall's report changes.
 */
import { z } from 'zod';
import { CatalogueFeedRequest } from '@hall/protocol';

export const DirectoryFile = z.object({
  halls: z.record(z.string(), z.object({ reportedAt: z.string(), services: CatalogueFeedRequest.shape.services })),
});
export type DirectoryFile = z.infer<typeof DirectoryFile>;
export type ReportedService = DirectoryFile['halls'][string]['services'][number];

export interface DirectoryStorage {
  read(): Promise<unknown>;
  write(data: DirectoryFile): Promise<void>;
}

export class HallServiceDirectory {
  private data: DirectoryFile = { halls: {} };

  constructor(private readonly storage: DirectoryStorage) {}

  /** An unreadable file starts empty: every hall reports again within one fetch interval. */
  async load(): Promise<void> {
    const parsed = DirectoryFile.safeParse(await this.storage.read().catch(() => null));
    if (parsed.success) this.data = parsed.data;
  }

  async report(hallId: string, services: ReportedService[], at: string): Promise<void> {
    const before = this.data.halls[hallId];
    if (before && JSON.stringify(before.services) === JSON.stringify(services)) return;
    this.data = { halls: { ...this.data.halls, [hallId]: { reportedAt: at, services } } };
    await this.storage.write(this.data);
  }

  /** Every reporting hall's services, by hall id. */
  halls(): ReadonlyMap<string, readonly ReportedService[]> {
    return new Map(Object.entries(this.data.halls).map(([id, h]) => [id, h.services]));
  }
}
