import { render } from 'preact';
import { signal } from '@preact/signals';
import { RATING_LABELS } from '@hall/protocol';
const s = signal(1);
render(<div onClick={() => s.value++}>{RATING_LABELS[5]?.zh} {s}</div>, document.getElementById('app')!);
