/**
 * Staff pages that load as their own chunk on first visit, so a counter PC's desk (its size
 * budget) never downloads them. A loaded chunk is kept (going back shows the page at once); a
 * failed load offers a retry, then a reload of the page (a second failure is most likely a hall
 * upgraded meanwhile, whose old chunks are gone).
 */
import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';

/** One chunk (`load` is a dynamic import) and a page maker for each component it exports. */
export function lazyChunk<M>(load: () => Promise<M>): (pick: (m: M) => FunctionComponent) => FunctionComponent {
  let loaded: M | null = null;
  let loading: Promise<M> | null = null;
  const get = (): Promise<M> =>
    (loading ??= load().then(
      (m) => (loaded = m),
      (err: unknown) => {
        loading = null;
        throw err;
      },
    ));
  return (pick) =>
    function LazyPage() {
      const [chunk, setChunk] = useState<M | null>(loaded);
      const [failed, setFailed] = useState(false);
      const [attempt, setAttempt] = useState(0);
      useEffect(() => {
        if (chunk) return;
        get().then(setChunk, () => setFailed(true));
      }, [attempt]);
      if (chunk) {
        const Page = pick(chunk);
        return <Page />;
      }
      if (!failed) return <div class="empty">正在加载… Loading…</div>;
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
    };
}
