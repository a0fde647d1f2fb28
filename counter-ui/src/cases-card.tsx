/**
 * One rectification case (好差评整改件) as a card: the rating (score, reasons, comment), where and
 * by whom, the deadline and overdue flag, the history, and what the reader may do — a supervisor
 * moves it with a note or records a callback (回访); the clerk appeals (申诉) while it awaits a
 * ruling. Used by the case board and by the clerk's own cases page.
 */
import { useState } from 'preact/hooks';
import type { CaseStatus, RectificationCase } from '@hall/protocol';
import { useStaff } from './staff-store';
import { canAppeal, deadlineText, historyLine } from './cases-format';
import { CASE_STATUS_ZH, NEXT_STATUSES } from './supervision-format';
import { SCORE_ZH, stars } from './ratings-filters';

type Form = { kind: 'move'; to: CaseStatus } | { kind: 'callback' } | { kind: 'appeal' } | null;

export function CaseCard({
  c,
  today,
  mode,
  onChange,
  placeOf,
}: {
  c: RectificationCase;
  today: string;
  mode: 'supervisor' | 'clerk';
  onChange: (updated: RectificationCase) => void;
  /** "社保办理 · 3号窗口" for the case's service and counter. */
  placeOf: (c: RectificationCase) => string;
}) {
  const s = useStaff();
  const [form, setForm] = useState<Form>(null);
  const [note, setNote] = useState('');
  const [reached, setReached] = useState(true);
  const [busy, setBusy] = useState(false);
  const due = deadlineText(c, today);
  const me = s.session.value?.user;
  const nameOf = (id: string): string | null => (id === me?.id ? me.name : id === c.clerkId ? (c.clerkName ?? null) : null);

  const submit = async (): Promise<void> => {
    if (!form) return;
    const id = encodeURIComponent(c.id);
    const [path, body] =
      form.kind === 'move'
        ? [`/api/rectifications/${id}/transition`, { to: form.to, note: note.trim() }]
        : form.kind === 'callback'
          ? [`/api/rectifications/${id}/callback`, { reached, note: note.trim() }]
          : [`/api/rectifications/${id}/appeal`, { note: note.trim() }];
    setBusy(true);
    const r = await s.call<RectificationCase>('POST', path, body);
    setBusy(false);
    if (!r.ok) return;
    onChange(r.value);
    setForm(null);
    setNote('');
  };
  const open = (f: Form): void => {
    setForm(f);
    setNote('');
    setReached(true);
  };
  const title = form?.kind === 'move' ? `改为「${CASE_STATUS_ZH[form.to]}」` : form?.kind === 'callback' ? '回访记录 Callback' : '申诉 Appeal';

  return (
    <article class={`case-card ${c.overdue ? 'overdue' : ''}`} data-case={c.id} data-status={c.status}>
      <header class="case-head">
        <b class="case-no">{c.ticketNumber || '—'}</b>
        <span class={`stars score-${c.score}`} title={SCORE_ZH[c.score]}>
          {stars(c.score)}
        </span>
        <span class="case-status">{CASE_STATUS_ZH[c.status]}</span>
        {c.overdue && <span class="over-tag">逾期 Overdue</span>}
        {c.history.some((h) => h.kind === 'appeal') && (
          <span class="appeal-tag" data-appealed>
            有申诉 <small>Appealed</small>
          </span>
        )}
      </header>
      <div class="case-meta">
        {placeOf(c)} · {c.clerkName ?? c.clerkId ?? '—'}
      </div>
      <div class={`case-due due-${due.tone}`}>{due.text}</div>
      {c.reasons.length > 0 && (
        <div class="chips">
          {c.reasons.map((x) => (
            <span key={x} class="chip static">
              {x}
            </span>
          ))}
        </div>
      )}
      <p class="case-comment">{c.comment ? `“${c.comment}”` : <span class="muted">（无文字意见）</span>}</p>
      <details class="case-history" open={c.history.length > 0 && c.history.length <= 3}>
        <summary>
          处理记录 <small>History ({c.history.length})</small>
        </summary>
        <ol>
          <li class="muted">
            {c.openedAt.slice(0, 16).replace('T', ' ')} 评价 {c.score} 分，生成整改件
          </li>
          {c.history.map((h, i) => (
            <li key={i} class={`h-${h.kind}`}>
              {historyLine(h, nameOf)}
            </li>
          ))}
        </ol>
      </details>
      {form ? (
        <form
          class="case-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <b>{title}</b>
          {form.kind === 'callback' && (
            <label class="check">
              <input type="checkbox" checked={reached} onChange={(e) => setReached((e.target as HTMLInputElement).checked)} /> 已联系上群众 <small>Reached</small>
            </label>
          )}
          <textarea
            name="case-note"
            aria-label="说明 Note"
            placeholder={form.kind === 'appeal' ? '申诉理由（必填） Why' : '说明 Note'}
            maxLength={500}
            rows={3}
            required={form.kind === 'appeal'}
            value={note}
            onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
          />
          <div class="case-actions">
            <button class="btn-primary btn-small" type="submit" disabled={busy || (form.kind === 'appeal' && !note.trim())}>
              提交 <small>Submit</small>
            </button>
            <button class="btn-plain" type="button" onClick={() => setForm(null)}>
              取消 <small>Cancel</small>
            </button>
          </div>
        </form>
      ) : mode === 'supervisor' ? (
        <div class="case-actions">
          {NEXT_STATUSES[c.status].map((to) => (
            <button key={to} class="btn-small" data-move={to} onClick={() => open({ kind: 'move', to })}>
              {CASE_STATUS_ZH[to]}
            </button>
          ))}
          <button class="btn-small btn-plain" data-callback onClick={() => open({ kind: 'callback' })}>
            回访 <small>Callback</small>
          </button>
        </div>
      ) : canAppeal(c) ? (
        <div class="case-actions">
          <button class="btn-small" data-appeal onClick={() => open({ kind: 'appeal' })}>
            申诉 <small>Appeal</small>
          </button>
        </div>
      ) : (
        <div class="muted case-actions">已核实，不再受理申诉 · Ruled: no appeal</div>
      )}
    </article>
  );
}
