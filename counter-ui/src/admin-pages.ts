/** What admin-lazy.tsx loads as one chunk. */
export { AdminPage } from './admin-page';
export { OwnPasswordPanel as AccountPage } from './admin-account';
