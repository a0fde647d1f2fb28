/** counter-ui pages: the clerk's counter at /counter, supervision and admin below it. */
export type Page = 'clerk' | 'supervise' | 'admin' | 'ratings' | 'cases' | 'my-cases' | 'county' | 'catalogue' | 'account';

/** Pages below /counter by their first path segment (the clerk's desk is /counter itself). */
const NAMED: readonly Page[] = ['supervise', 'admin', 'ratings', 'cases', 'my-cases', 'county', 'catalogue', 'account'];

export const BASE = '/counter';

export function parsePage(pathname: string): Page {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const first = rest.split('/').filter(Boolean)[0];
  return NAMED.find((p) => p === first) ?? 'clerk';
}

export function pathOf(page: Page): string {
  return page === 'clerk' ? BASE : `${BASE}/${page}`;
}

/** Goes to a page from anywhere (a link inside a page): the app follows history's popstate. */
export function navigate(page: Page): void {
  history.pushState(null, '', pathOf(page));
  window.dispatchEvent(new PopStateEvent('popstate'));
}
