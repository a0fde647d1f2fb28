/** A headline figure (KPI) of the supervision and county pages: value, Chinese label, English second. */
export function Kpi({ label, en, value, tone }: { label: string; en: string; value: string | number; tone?: 'good' | 'warn' | 'bad' | undefined }) {
  return (
    <div class={`kpi ${tone ? `kpi-${tone}` : ''}`}>
      <div class="kpi-value">{value}</div>
      <div class="kpi-label">
        {label} <small>{en}</small>
      </div>
    </div>
  );
}
