/** Admin: the notices (公告) that scroll along the foot of every hall screen, with optional dates. */
import { useState } from 'preact/hooks';
import type { Notice } from '@hall/protocol';
import { NOTICE_STATE_ZH, noticeRows, noticesBody, noticeState, type NoticeRow } from './admin-notice-form';
import { FormError, SaveButton, sendForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';

export function NoticesTab() {
  const s = useStaff();
  const [notices, reload] = useLoad<Notice[]>('/api/notices');
  if (!notices) return <div class="muted">正在加载… Loading…</div>;
  return <NoticesEditor key={JSON.stringify(notices)} notices={notices} saved={() => (reload(), s.toast('info', '公告已保存，大厅屏即时更新 Saved'))} />;
}

function NoticesEditor({ notices, saved }: { notices: Notice[]; saved: () => void }) {
  const s = useStaff();
  const [rows, setRows] = useState<NoticeRow[]>(() => noticeRows(notices));
  const [error, setError] = useState<string | null>(null);
  const today = s.snapshot.value?.day ?? '';
  const set = (i: number, patch: Partial<NoticeRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) =>
    setRows((rs) => {
      const out = [...rs];
      const [r] = out.splice(i, 1);
      out.splice(Math.max(0, Math.min(out.length, i + by)), 0, r as NoticeRow);
      return out;
    });
  return (
    <form
      class="panel form notices"
      onSubmit={(e) => {
        e.preventDefault();
        void sendForm(s, 'PUT', '/api/notices', noticesBody(rows), setError, saved, { allowEmpty: true });
      }}
    >
      <h2>
        大厅公告 <small>Hall-screen notices</small>
      </h2>
      <p class="muted">公告在大厅显示屏底部滚动播放；可设起止日期（含当天），不填即一直显示。 Notices scroll along the hall screens.</p>
      {rows.length === 0 && <div class="muted">暂无公告，大厅屏显示默认提示。 No notices: screens show the default hint.</div>}
      <ol class="notice-rows">
        {rows.map((r, i) => {
          const state = today ? noticeState(r, today) : null;
          return (
            <li key={r.id ?? `new-${i}`} class="notice-row">
              <label class="field grow">
                <span>
                  公告 {i + 1} {state && <em class={`state state-${state}`}>{NOTICE_STATE_ZH[state]}</em>}
                </span>
                <textarea rows={2} maxLength={500} name={`notice-${i}`} value={r.text} onInput={(e) => set(i, { text: (e.target as HTMLTextAreaElement).value })} />
              </label>
              <label class="field">
                <span>开始日期 From</span>
                <input type="date" value={r.from} onInput={(e) => set(i, { from: (e.target as HTMLInputElement).value })} />
              </label>
              <label class="field">
                <span>结束日期 To</span>
                <input type="date" value={r.to} onInput={(e) => set(i, { to: (e.target as HTMLInputElement).value })} />
              </label>
              <div class="row-actions">
                <button type="button" class="btn-plain" aria-label="上移 Up" disabled={i === 0} onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button type="button" class="btn-plain" aria-label="下移 Down" disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
                  ↓
                </button>
                <button type="button" class="btn-plain danger" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                  删除 <small>Delete</small>
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" class="btn-plain" data-cmd="add-notice" onClick={() => setRows((rs) => [...rs, { text: '', from: '', to: '' }])}>
        ＋ 新增公告 <small>Add notice</small>
      </button>
      <FormError error={error} />
      <SaveButton zh="保存公告" en="Save notices" />
    </form>
  );
}
