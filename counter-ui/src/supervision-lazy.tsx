/**
 * The supervision pages (大厅监督, 好差评, 整改看板, 我的评价) load as their own chunk on first
 * visit, so a counter PC's desk (its size budget) never downloads them. The loaded page is kept:
 * going back to it shows it at once; a failed load offers a retry, then a reload of the page.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import type * as SupervisionPages from './supervision-pages';

type Pages = typeof SupervisionPages;

let loaded: Pages | null = null;
let loading: Promise<Pages> | null = null;

function loadPages(): Promise<Pages> {
  loading ??= import('./supervision-pages').then(
    (m) => (loaded = m),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

function lazy(pick: (m: Pages) => FunctionComponent): FunctionComponent {
  return function SupervisionPage() {
    const [pages, setPages] = useState<Pages | null>(loaded);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (pages) return;
      loadPages().then(setPages, () => setFailed(true));
    }, [attempt]);
    if (pages) {
      const Page = pick(pages);
      return <Page />;
    }
    if (failed) {
      // A second failure is most likely a hall upgraded meanwhile (the old chunk is gone): reload the page.
      return (
        <div class="empty" role="alert">
          页面加载失败 Page failed to load{' '}
          <button
            class="btn-small"
            onClick={() => {
              if (attempt > 0) return location.reload();
              setFailed(false);
              setAttempt(attempt + 1);
            }}
          >
            {attempt > 0 ? '刷新页面 Reload' : '重试 Retry'}
          </button>
        </div>
      );
    }
    return <div class="empty">正在加载… Loading…</div>;
  };
}

export const SupervisePageLazy = lazy((m) => m.SupervisePage);
export const RatingsPageLazy = lazy((m) => m.RatingsPage);
export const CasesBoardLazy = lazy((m) => m.CasesBoard);
export const MyCasesPageLazy = lazy((m) => m.MyCasesPage);
