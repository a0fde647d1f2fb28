/** The county and catalogue pages: each its own chunk, loaded on first visit (lazy-page.tsx). */
import { lazyChunk } from './lazy-page';

export const CountyPageLazy = lazyChunk(() => import('./county-page'))((m) => m.CountyPage);
export const CataloguePageLazy = lazyChunk(() => import('./catalogue-page'))((m) => m.CataloguePage);
