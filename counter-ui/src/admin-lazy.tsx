/** The admin console and the own-password page: one chunk, loaded on first visit (lazy-page.tsx). */
import { lazyChunk } from './lazy-page';

const page = lazyChunk(() => import('./admin-pages'));
export const AdminPageLazy = page((m) => m.AdminPage);
export const AccountPageLazy = page((m) => m.AccountPage);
