/** The admin console (/counter/admin): one tab per area, each in its own admin-*.tsx. */
import { useState } from 'preact/hooks';
import { OwnPasswordPanel } from './admin-account';
import { CalendarTab } from './admin-calendar';
import { CountersTab } from './admin-counters';
import { DevicesTab } from './admin-devices';
import { HallTab } from './admin-hall-hours';
import { NoticesTab } from './admin-notices';
import { PolicyTab } from './admin-policy';
import { ServicesTab } from './admin-services';
import { TerminalsTab } from './admin-terminals';
import { UsersTab } from './admin-users';

type Tab = 'hall' | 'calendar' | 'policy' | 'notices' | 'services' | 'counters' | 'users' | 'terminals' | 'devices' | 'account';
const TABS: { tab: Tab; zh: string; en: string }[] = [
  { tab: 'hall', zh: '大厅', en: 'Hall' },
  { tab: 'calendar', zh: '节假日', en: 'Calendar' },
  { tab: 'policy', zh: '叫号规则', en: 'Policy' },
  { tab: 'notices', zh: '公告', en: 'Notices' },
  { tab: 'services', zh: '业务', en: 'Services' },
  { tab: 'counters', zh: '窗口', en: 'Counters' },
  { tab: 'users', zh: '人员', en: 'Users' },
  { tab: 'terminals', zh: '终端', en: 'Terminals' },
  { tab: 'devices', zh: '设备', en: 'Devices' },
  { tab: 'account', zh: '我的密码', en: 'My password' },
];

export function AdminPage() {
  const [tab, setTab] = useState<Tab>('hall');
  return (
    <section class="admin">
      <div class="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.tab} role="tab" data-tab={t.tab} aria-selected={tab === t.tab} class={`tab ${tab === t.tab ? 'active' : ''}`} onClick={() => setTab(t.tab)}>
            {t.zh} <small>{t.en}</small>
          </button>
        ))}
      </div>
      {tab === 'hall' && <HallTab />}
      {tab === 'calendar' && <CalendarTab />}
      {tab === 'policy' && <PolicyTab />}
      {tab === 'notices' && <NoticesTab />}
      {tab === 'services' && <ServicesTab />}
      {tab === 'counters' && <CountersTab />}
      {tab === 'users' && <UsersTab />}
      {tab === 'terminals' && <TerminalsTab />}
      {tab === 'devices' && <DevicesTab />}
      {tab === 'account' && <OwnPasswordPanel />}
    </section>
  );
}
