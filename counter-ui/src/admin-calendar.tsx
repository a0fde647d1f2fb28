/** Admin: statutory holidays (法定节假日) and make-up workdays (调休上班) of the hall calendar. */
import { useState } from 'preact/hooks';
import type { Calendar, Hall } from '@hall/protocol';
import { addDates, byYear, calendarBody, dateRange, oddWorkdays, removeDate, weekdayZh, type CalendarList } from './admin-calendar-form';
import { FormError, SaveButton, sendForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';

export function CalendarTab() {
  const s = useStaff();
  const [hall, reload] = useLoad<Hall>('/api/hall');
  if (!hall) return <div class="muted">正在加载… Loading…</div>;
  return <CalendarEditor key={JSON.stringify(hall.calendar)} saved={hall.calendar} allDay={hall.hours.allDay} reload={() => (reload(), s.toast('info', '节假日已保存 Calendar saved'))} />;
}

const LISTS: { list: CalendarList; zh: string; en: string; help: string }[] = [
  { list: 'holidays', zh: '法定节假日（不办公）', en: 'Holidays: closed', help: '这些日期不取号、不叫号，即使是工作日' },
  { list: 'workdays', zh: '调休上班日', en: 'Make-up workdays: open', help: '这些日期按工作日办公，即使是周末' },
];

function CalendarEditor({ saved, allDay, reload }: { saved: Calendar; allDay: boolean; reload: () => void }) {
  const s = useStaff();
  const [cal, setCal] = useState<Calendar>(saved);
  const [error, setError] = useState<string | null>(null);
  const dirty = JSON.stringify(cal) !== JSON.stringify(saved);
  const odd = oddWorkdays(cal);
  return (
    <form
      class="panel form calendar"
      onSubmit={(e) => {
        e.preventDefault();
        void sendForm(s, 'PATCH', '/api/hall', calendarBody(cal), setError, reload);
      }}
    >
      <h2>
        节假日与调休 <small>Holidays and make-up workdays</small>
      </h2>
      {allDay && <div class="warn">本大厅设为「全天开放」，不按日历关闭。 The hall is open all day: the calendar does not apply.</div>}
      <div class="split">
        {LISTS.map((l) => (
          <DateList key={l.list} {...l} dates={cal[l.list]} add={(dates) => setCal((c) => addDates(c, l.list, dates))} remove={(d) => setCal((c) => removeDate(c, l.list, d))} setError={setError} />
        ))}
      </div>
      {odd.length > 0 && <div class="warn">提示：{odd.join('、')} 不是周末，请确认是否为调休上班日。 Not a weekend: check.</div>}
      <FormError error={error} />
      <SaveButton zh={dirty ? '保存日历' : '已保存'} en={dirty ? 'Save calendar' : 'Saved'} disabled={!dirty} />
    </form>
  );
}

function DateList({ list, zh, en, help, dates, add, remove, setError }: { list: CalendarList; zh: string; en: string; help: string; dates: string[]; add: (d: string[]) => void; remove: (d: string) => void; setError: (e: string | null) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <fieldset class={`date-list date-list-${list}`}>
      <legend>
        {zh} <small>{en}</small>
      </legend>
      <p class="muted">{help}</p>
      <div class="date-add">
        <label class="field">
          <span>日期 Date</span>
          <input type="date" name={`${list}-from`} value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>至 To（可选，连续多天）</span>
          <input type="date" name={`${list}-to`} value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button
          type="button"
          class="btn-plain"
          data-cmd={`add-${list}`}
          onClick={() => {
            const r = dateRange(from, to);
            if (!r.ok) return setError(r.error);
            setError(null);
            add(r.value);
            setFrom('');
            setTo('');
          }}
        >
          ＋ 添加 <small>Add</small>
        </button>
      </div>
      {dates.length === 0 && <div class="muted">（无 none）</div>}
      {byYear(dates).map(([year, days]) => (
        <div key={year} class="year">
          <b>{year}年</b>
          <ul class="chips">
            {days.map((d) => (
              <li key={d} class="chip" data-date={d}>
                {d.slice(5)} {weekdayZh(d)}
                <button type="button" class="chip-x" aria-label={`删除 ${d}`} onClick={() => remove(d)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </fieldset>
  );
}
