import { render } from 'preact';
import { App, Setup } from './app';
import { KioskContext, createKioskStore } from './kiosk-store';
import { ScannerCollector } from './scanner-collector';
import { resolveToken } from './terminal-token';
import './styles.css';

const root = document.getElementById('app')!;
const { token, cleanSearch } = resolveToken(location.search, localStorage);
if (cleanSearch !== null) history.replaceState(null, '', location.pathname + cleanSearch + location.hash);

if (!token) {
  render(<Setup />, root);
} else {
  const store = createKioskStore(token);
  // Keyboard-wedge scanners type into the page: collect fast runs ended by Enter.
  const scanner = new ScannerCollector({ onScan: (text) => store.handleScan(text) });
  document.addEventListener(
    'keydown',
    (e) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      if (scanner.key(e.key, e.timeStamp)) e.preventDefault();
    },
    true,
  );
  // A kiosk has no right-click menu or text selection.
  document.addEventListener('contextmenu', (e) => e.preventDefault());
  render(
    <KioskContext.Provider value={store}>
      <App />
    </KioskContext.Provider>,
    root,
  );
}
