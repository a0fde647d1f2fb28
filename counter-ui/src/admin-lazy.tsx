/**
 * The admin console and the own-password page load as their own chunk on first visit: a counter
 * PC's desk (its size budget) never downloads the set-up forms. A failed load offers a retry.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import type * as AdminPages from './admin-pages';

type Pages = typeof AdminPages;
let loading: Promise<Pages> | null = null;

function lazy(pick: (m: Pages) => FunctionComponent): FunctionComponent {
  return function AdminChunk() {
    const [pages, setPages] = useState<Pages | null>(null);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      loading ??= import('./admin-pages').catch((err: unknown) => {
        loading = null;
        throw err;
      });
      loading.then(setPages, () => setFailed(true));
    }, [attempt]);
    if (pages) {
      const Page = pick(pages);
      return <Page />;
    }
    if (failed) {
      return (
        <div class="empty" role="alert">
          页面加载失败 Page failed to load{' '}
          <button
            class="btn-plain"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            重试 <small>Retry</small>
          </button>
        </div>
      );
    }
    return <div class="empty">正在加载… Loading…</div>;
  };
}

export const AdminPageLazy = lazy((m) => m.AdminPage);
export const AccountPageLazy = lazy((m) => m.AccountPage);
