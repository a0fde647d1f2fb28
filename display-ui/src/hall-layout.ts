/**
 * Which layout a hall screen takes: a forced one (`?layout=`), the single TV of a village
 * service room (one big "now calling" and the waiting count, readable across the room), a
 * portrait screen (a TV on its side in a corridor), or the wide 16:9 hall screen.
 */
import type { HallLayout } from './route';

export function chooseLayout(forced: HallLayout | null, hallLevel: string | undefined, width: number, height: number): HallLayout {
  if (forced) return forced;
  if (hallLevel === 'village') return 'single';
  return height > width ? 'portrait' : 'wide';
}

/** People waiting in the whole hall (or the screen's zone: the snapshot is already cut to it). */
export function totalWaiting(services: readonly { waiting: number }[]): number {
  return services.reduce((n, s) => n + Math.max(0, s.waiting), 0);
}
