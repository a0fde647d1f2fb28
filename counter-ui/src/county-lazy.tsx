/**
 * The county and catalogue pages load as their own chunk on first visit: a counter PC (the
 * desk's size budget) never downloads them.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';

function lazyPage(load: () => Promise<FunctionComponent>): FunctionComponent {
  return function LazyPage() {
    const [Page, setPage] = useState<FunctionComponent | null>(null);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      load().then(
        (p) => setPage(() => p),
        () => setFailed(true),
      );
    }, []);
    if (failed) return <div class="empty">页面加载失败，请刷新 Page failed to load: reload</div>;
    return Page ? <Page /> : <div class="empty">正在加载… Loading…</div>;
  };
}

export const CountyPageLazy = lazyPage(() => import('./county-page').then((m) => m.CountyPage));
export const CataloguePageLazy = lazyPage(() => import('./catalogue-page').then((m) => m.CataloguePage));
