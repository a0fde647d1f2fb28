/** The admin console's small form pieces: labelled inputs, the hours editor, loading a list. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Checked, HoursForm } from './admin-forms';
import { serverError } from './admin-forms';
import { useStaff, type StaffStore } from './staff-store';

/** GET a list or object; null while loading; `missing` when the server does not offer it. */
export function useLoad<T>(path: string): [T | null, () => void, boolean] {
  const s = useStaff();
  const [data, setData] = useState<T | null>(null);
  const [missing, setMissing] = useState(false);
  const load = useCallback(() => {
    void s.call<T>('GET', path, undefined, true).then((r) => {
      if (r.ok) setData(r.value);
      else setMissing(true);
    });
  }, [path]);
  useEffect(load, [load]);
  return [data, load, missing];
}


export { serverError };

/**
 * Sends a form's checked body: a local problem or the server's refusal goes to `setError` (in
 * Chinese, naming the field), success to `done`. An edit that changed nothing is not sent.
 */
export async function sendForm<T>(
  s: StaffStore,
  method: string,
  path: string,
  body: Checked<object>,
  setError: (e: string | null) => void,
  done: (value: T) => void,
  opts: { allowEmpty?: boolean } = {},
): Promise<void> {
  if (!body.ok) return setError(body.error);
  if (!opts.allowEmpty && Object.keys(body.value).length === 0) return setError('没有修改 Nothing changed');
  const r = await s.call<T>(method, path, body.value, true);
  if (!r.ok) return setError(serverError(r.error));
  setError(null);
  done(r.value);
}

export function Text({ label, value, set, ...rest }: { label: string; value: string; set: (v: string) => void } & Record<string, unknown>) {
  return (
    <label class="field">
      <span>{label}</span>
      <input value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} {...rest} />
    </label>
  );
}

export function Check({ label, value, set, ...rest }: { label: string; value: boolean; set: (v: boolean) => void } & Record<string, unknown>) {
  return (
    <label class="field check">
      <input type="checkbox" checked={value} onChange={(e) => set((e.target as HTMLInputElement).checked)} {...rest} />
      <span>{label}</span>
    </label>
  );
}

export function Select({ label, value, set, options, ...rest }: { label: string; value: string; set: (v: string) => void; options: readonly (readonly [string, string])[] } & Record<string, unknown>) {
  return (
    <label class="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => set((e.target as HTMLSelectElement).value)} {...rest}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function useForm<F>(initial: F): [F, <K extends keyof F>(key: K) => (v: F[K]) => void, (f: F) => void] {
  const [form, setForm] = useState(initial);
  const field =
    <K extends keyof F>(key: K) =>
    (v: F[K]) =>
      setForm((f) => ({ ...f, [key]: v }));
  return [form, field, setForm];
}

export function FormError({ error }: { error: string | null }) {
  return error ? (
    <div class="form-error" role="alert">
      {error}
    </div>
  ) : null;
}

export function SaveButton({ zh = '保存', en = 'Save', ...rest }: { zh?: string; en?: string } & Record<string, unknown>) {
  return (
    <button class="btn-primary" type="submit" {...rest}>
      {zh} <small>{en}</small>
    </button>
  );
}

const TIME = { pattern: '([01][0-9]|2[0-3]):[0-5][0-9]|24:00', maxLength: 5, placeholder: 'HH:MM' };
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** Opening or ticket hours: the day, the lunch break, the weekdays, all day. */
export function HoursFields({ f, set, prefix }: { f: HoursForm; set: (f: HoursForm) => void; prefix: string }) {
  const field =
    <K extends keyof HoursForm>(key: K) =>
    (v: HoursForm[K]) =>
      set({ ...f, [key]: v });
  return (
    <fieldset class="hours">
      <div class="grid2">
        <Text label={`${prefix}开始 From (HH:MM)`} value={f.openStart} set={field('openStart')} name="open-start" {...TIME} />
        <Text label={`${prefix}结束 Until (HH:MM)`} value={f.openEnd} set={field('openEnd')} name="open-end" {...TIME} />
        <Text label="午休开始 Lunch from（不午休留空）" value={f.lunchStart} set={field('lunchStart')} name="lunch-start" {...TIME} />
        <Text label="午休结束 Lunch until" value={f.lunchEnd} set={field('lunchEnd')} name="lunch-end" {...TIME} />
      </div>
      <div class="field">
        <span>工作日 Weekdays</span>
        <div class="weekdays">
          {WEEKDAYS.map((d, i) => (
            <label key={i} class="check">
              <input
                type="checkbox"
                checked={f.weekdays.includes(i)}
                onChange={(e) => field('weekdays')((e.target as HTMLInputElement).checked ? [...f.weekdays, i].sort() : f.weekdays.filter((x) => x !== i))}
              />
              周{d}
            </label>
          ))}
        </div>
      </div>
      <Check label="全天开放（24小时自助，不看日历；勾选后以上时间不起作用） Open all day" value={f.allDay} set={field('allDay')} name="all-day" />
    </fieldset>
  );
}
