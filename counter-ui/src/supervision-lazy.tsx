/** The supervision pages (大厅监督, 好差评, 整改看板, 我的评价): one chunk, loaded on first visit (lazy-page.tsx). */
import { lazyChunk } from './lazy-page';

const page = lazyChunk(() => import('./supervision-pages'));
export const SupervisePageLazy = page((m) => m.SupervisePage);
export const RatingsPageLazy = page((m) => m.RatingsPage);
export const CasesBoardLazy = page((m) => m.CasesBoard);
export const MyCasesPageLazy = page((m) => m.MyCasesPage);
