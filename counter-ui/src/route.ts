/** counter-ui pages: the clerk's counter at /counter, supervision and admin below it. */
export type Page = 'clerk' | 'supervise' | 'admin';

export const BASE = '/counter';

export function parsePage(pathname: string): Page {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const first = rest.split('/').filter(Boolean)[0];
  if (first === 'supervise') return 'supervise';
  if (first === 'admin') return 'admin';
  return 'clerk';
}

export function pathOf(page: Page): string {
  return page === 'clerk' ? BASE : `${BASE}/${page}`;
}
