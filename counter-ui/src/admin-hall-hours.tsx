/** Admin: the hall's name, level, opening hours with lunch break, call phrase; and its voice. */
import { useState } from 'preact/hooks';
import type { Hall } from '@hall/protocol';
import { hallForm, patchHallBody, type HallForm } from './admin-forms';
import { FormError, HoursFields, SaveButton, Select, Text, sendForm, useForm, useLoad } from './admin-fields';
import { openWithToken } from './open-with-token';
import { useStaff } from './staff-store';
import { VoiceSettingsPanel } from './voice-settings';

const LEVELS = [
  ['county', '县级政务服务中心 County'],
  ['township', '乡镇便民服务中心 Township'],
  ['village', '村便民服务室 Village'],
] as const;

export function HallTab() {
  const s = useStaff();
  const [hall, reload] = useLoad<Hall>('/api/hall');
  if (!hall) return <div class="muted">正在加载… Loading…</div>;
  const saved = () => (reload(), s.toast('info', '已保存大厅设置 Saved'));
  return (
    <div class="stack">
      <HallEditor key={JSON.stringify([hall.name, hall.level, hall.hours, hall.phraseTemplate, hall.publicUrl])} hall={hall} saved={saved} />
      <VoiceSettingsPanel key={`voice-${JSON.stringify(hall.voice)}`} hall={hall} saved={saved} />
      <div class="panel">
        <h2>
          系统体检 <small>Health check (hall-server doctor)</small>
        </h2>
        <p class="muted">检查磁盘、日志链、备份、设备、证书与时钟，并说明如何处理。 Disk, journal, backups, devices, certificate and clock, with what to do.</p>
        <button
          type="button"
          class="btn-plain"
          name="doctor-report"
          onClick={async () => {
            if (!(await openWithToken('/api/doctor/report', s.session.value?.token))) s.toast('error', '体检报告打开失败 Health check failed');
          }}
        >
          打开体检报告 <small>Open the report</small>
        </button>
      </div>
    </div>
  );
}

function HallEditor({ hall, saved }: { hall: Hall; saved: () => void }) {
  const s = useStaff();
  const original = hallForm(hall);
  const [f, field] = useForm<HallForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form hall-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void sendForm(s, 'PATCH', '/api/hall', patchHallBody(original, f), setError, saved);
      }}
    >
      <h2>
        大厅信息与办公时间 <small>Hall and opening hours</small>
      </h2>
      <div class="grid2">
        <Text label="大厅名称 Name" value={f.name} set={field('name')} required />
        <Select label="层级 Level" value={f.level} set={field('level')} options={LEVELS} />
      </div>
      <HoursFields f={f.hours} set={field('hours')} prefix="办公" />
      <p class="muted">各业务可另设取号时间（业务页）；法定节假日与调休在「节假日」页设置。 Services may have their own ticket hours.</p>
      <Text label="叫号语音模板 Call phrase ({number} {counter} {counterName} {service})" value={f.phraseTemplate} set={field('phraseTemplate')} />
      <Text
        label="对外访问地址 Public URL（号票二维码指向此地址，如 http://192.168.1.10:8080；留空 = 本服务器地址；环境变量 HALL_PUBLIC_URL 优先）"
        value={f.publicUrl}
        set={field('publicUrl')}
        type="url"
        name="public-url"
      />
      <FormError error={error} />
      <SaveButton />
    </form>
  );
}
