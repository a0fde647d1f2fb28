/**
 * Admin: devices — live status by name (在线/离线/故障, since when, why), add and edit with every
 * transport field, the port picker (what the hall server sees plugged in), test print, simulator
 * controls, remove; and the RS-485 frame profiles a vendor's board or keypad needs.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DeviceKind, TestPrintResponse, Transport } from '@hall/protocol';
import {
  DEVICE_KINDS,
  KIND_ZH,
  READER_PRESETS,
  RS485_KINDS,
  TRANSPORTS,
  createDeviceBody,
  deviceForm,
  emptyDeviceForm,
  patchDeviceBody,
  portChoices,
  statusLine,
  testPrintText,
  transportForm,
  type DeviceForm,
  type DeviceLike,
  type PortChoice,
  type ProbeReport,
} from './admin-device-form';
import { FormError, SaveButton, Select, Text, sendForm, serverError, useForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';

interface DeviceRow extends DeviceLike {
  id: string;
  status: 'online' | 'offline' | 'error';
  detail: string | null;
  since?: string | null;
  runsOn?: 'hall' | 'agent';
}
interface TerminalRow {
  id: string;
  kind: string;
  name: string;
  revoked?: boolean;
}

function transportText(t: Transport): string {
  switch (t.type) {
    case 'serial':
      return `串口 ${t.path}${t.baudRate ? ` @${t.baudRate}` : ''}`;
    case 'tcp':
      return `网络 ${t.host}:${t.port}`;
    case 'usb-file':
      return `USB ${t.path}`;
    case 'hid':
      return `HID ${t.path ?? `${t.vendorId.toString(16).padStart(4, '0')}:${t.productId.toString(16).padStart(4, '0')}`}`;
    case 'usb-bulk':
      return `USB ${t.vendorId.toString(16).padStart(4, '0')}:${t.productId.toString(16).padStart(4, '0')}`;
    case 'vendor-sdk':
      return `厂商SDK ${t.tool}`;
    case 'windows-printer':
      return `Windows 打印机 ${t.printer}`;
    default:
      return '模拟 simulated';
  }
}

export function DevicesTab() {
  const s = useStaff();
  const [devices, reload] = useLoad<DeviceRow[]>('/api/devices');
  const [terminals] = useLoad<TerminalRow[]>('/api/terminals');
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [result, setResult] = useState<{ id: string; text: string; ok: boolean } | null>(null);
  // Status changes arrive on the socket; the list (with `since`) is read again every few seconds.
  useEffect(() => {
    const t = setInterval(reload, 5000);
    return () => clearInterval(t);
  }, [reload]);
  const live = s.devices.value;
  const snap = s.snapshot.value;
  const attachedText = (d: DeviceRow): string => {
    if (!d.attachedTo) return d.kind === 'led-board' ? '大厅通屏 hall bar' : '—';
    if ('terminalId' in d.attachedTo) return terminals?.find((t) => t.id === (d.attachedTo as { terminalId: string }).terminalId)?.name ?? d.attachedTo.terminalId;
    const c = snap?.counters.find((x) => x.id === (d.attachedTo as { counterId: string }).counterId);
    return c ? `${c.number}号窗口` : d.attachedTo.counterId;
  };
  const current = editing && editing !== 'new' ? devices?.find((d) => d.id === editing) : undefined;
  const act = async (d: DeviceRow, what: 'test-print' | 'delete' | 'sim', body?: Record<string, unknown>) => {
    if (what === 'test-print') {
      setResult({ id: d.id, text: '正在打印测试页… Printing…', ok: true });
      const r = await s.call<TestPrintResponse>('POST', `/api/devices/${encodeURIComponent(d.id)}/test-print`, undefined, true);
      setResult(r.ok ? { id: d.id, text: testPrintText(r.value), ok: r.value.printed } : { id: d.id, text: serverError(r.error), ok: false });
    } else if (what === 'delete') {
      if (!confirm(`删除设备「${d.name}」？端口将关闭。`)) return;
      const r = await s.call('DELETE', `/api/devices/${encodeURIComponent(d.id)}`, undefined, true);
      setResult(r.ok ? { id: d.id, text: `已删除 ${d.name}`, ok: true } : { id: d.id, text: serverError(r.error), ok: false });
      if (editing === d.id) setEditing(null);
    } else {
      const r = await s.call('POST', `/api/devices/${encodeURIComponent(d.id)}/simulate`, body, true);
      setResult(r.ok ? { id: d.id, text: `模拟操作已执行 ${String(body?.action)}`, ok: true } : { id: d.id, text: serverError(r.error), ok: false });
    }
    reload();
  };
  return (
    <div class="stack">
      <div class="panel devices">
        <h2>
          设备 <small>Devices — 状态每5秒刷新，故障即时显示</small>
        </h2>
        <table class="list">
          <thead>
            <tr>
              <th>名称</th>
              <th>类型</th>
              <th>所属</th>
              <th>连接</th>
              <th>状态</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {(devices ?? []).map((d) => {
              const now = { ...d, ...(live[d.id] ?? {}) };
              return (
                <tr key={d.id} data-device={d.name} class={editing === d.id ? 'sel' : ''}>
                  <td>
                    <b>{d.name}</b>
                    {d.runsOn === 'agent' && <small>（取号机代理 agent）</small>}
                  </td>
                  <td>{KIND_ZH[d.kind]}</td>
                  <td>{attachedText(d)}</td>
                  <td>{transportText(d.transport)}</td>
                  <td class={`dev-status dev-${now.status}${now.status === 'online' && now.detail ? ' dev-warn' : ''}`} data-status={now.status}>
                    {statusLine(now)}
                  </td>
                  <td class="row-actions">
                    {d.kind === 'printer' && (
                      <button type="button" class="btn-plain" data-cmd="test-print" onClick={() => void act(d, 'test-print')}>
                        测试打印 <small>Test</small>
                      </button>
                    )}
                    <button type="button" class="btn-plain" data-cmd="edit-device" onClick={() => setEditing(d.id)}>
                      编辑 <small>Edit</small>
                    </button>
                    <button type="button" class="btn-plain danger" data-cmd="delete-device" onClick={() => void act(d, 'delete')}>
                      删除 <small>Remove</small>
                    </button>
                    {d.transport.type === 'simulated' && <SimulatorButtons kind={d.kind} run={(body) => void act(d, 'sim', body)} />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {result && (
          <div class={result.ok ? 'notice-ok' : 'form-error'} role={result.ok ? 'status' : 'alert'} data-device-result>
            {result.text}
          </div>
        )}
        <button class="btn-plain" data-cmd="new-device" onClick={() => setEditing('new')}>
          ＋ 添加设备 <small>Add device</small>
        </button>
      </div>
      {editing && (
        <DeviceEditor
          key={editing}
          device={current}
          terminals={(terminals ?? []).filter((t) => !t.revoked)}
          saved={(name) => {
            setEditing(null);
            reload();
            s.toast('info', `设备「${name}」已保存并重新打开 Saved`);
          }}
        />
      )}
      <FrameProfiles />
    </div>
  );
}

function SimulatorButtons({ kind, run }: { kind: DeviceKind; run: (body: Record<string, unknown>) => void }) {
  const b = (zh: string, body: Record<string, unknown>) => (
    <button key={zh} type="button" class="btn-plain small" title="模拟 simulate" onClick={() => run(body)}>
      {zh}
    </button>
  );
  return (
    <span class="sim-buttons">
      {kind === 'printer' && [b('模拟缺纸', { action: 'paper-out', on: true }), b('装纸', { action: 'paper-out', on: false })]}
      {kind === 'id-reader' && [b('放卡', { action: 'insert-card' }), b('取卡', { action: 'remove-card' })]}
      {b('拔出', { action: 'unplug' })}
      {b('插回', { action: 'replug' })}
    </span>
  );
}

function DeviceEditor({ device, terminals, saved }: { device: DeviceRow | undefined; terminals: TerminalRow[]; saved: (name: string) => void }) {
  const s = useStaff();
  const original = device ? deviceForm(device) : emptyDeviceForm();
  const [f, field, setForm] = useForm<DeviceForm>(original);
  const [error, setError] = useState<string | null>(null);
  const [ports, setPorts] = useState<{ choices: PortChoice[]; notes: string[] } | null>(null);
  const [profiles] = useLoad<{ id: string; builtIn: boolean; description?: string | null }[]>('/api/frame-profiles');
  const rs485 = RS485_KINDS.includes(f.kind);
  const counters = s.snapshot.value?.counters ?? [];
  const attachOptions: [string, string][] = [
    ['', f.kind === 'led-board' ? '不属于窗口：大厅通屏 Hall bar' : '（不指定）None'],
    ...terminals.filter((t) => t.kind === 'kiosk').map((t): [string, string] => [`terminal:${t.id}`, `取号机：${t.name}`]),
    ...counters.map((c): [string, string] => [`counter:${c.id}`, `${c.number}号窗口 ${c.name}`]),
  ];
  const setMany = (patch: Partial<DeviceForm>) => setForm({ ...f, ...patch });
  const showPath = f.type === 'serial' || f.type === 'usb-file';
  return (
    <form
      class="panel form device-editor"
      onSubmit={(e) => {
        e.preventDefault();
        const done = () => saved(f.name);
        if (device) void sendForm(s, 'PATCH', `/api/devices/${encodeURIComponent(device.id)}`, patchDeviceBody(original, f), setError, done);
        else void sendForm(s, 'POST', '/api/devices', createDeviceBody(f), setError, done);
      }}
    >
      <h2>{device ? `编辑设备：${device.name}` : '添加设备 Add device'}</h2>
      <div class="grid2">
        {device ? (
          <div class="field">
            <span>类型 Kind</span>
            <b>{KIND_ZH[f.kind]}</b>
          </div>
        ) : (
          <Select label="类型 Kind" value={f.kind} set={(v: string) => field('kind')(v as DeviceKind)} options={DEVICE_KINDS} name="device-kind" />
        )}
        <Text label="名称 Name（如：1号取号机打印机）" value={f.name} set={field('name')} required name="device-name" />
        <Select label="连接方式 Transport" value={f.type} set={(v: string) => field('type')(v as Transport['type'])} options={TRANSPORTS} name="device-transport" />
        <Select label="所属 Attached to" value={f.attach} set={field('attach')} options={attachOptions} name="device-attach" />
      </div>
      {f.kind === 'id-reader' && (
        <Select
          label="阅读器型号预设 Reader preset"
          value=""
          set={(id: string) => {
            const p = READER_PRESETS.find((x) => x.id === id);
            if (p) setMany(p.form);
          }}
          options={[['', '（选择型号自动填写连接方式）'], ...READER_PRESETS.map((p): [string, string] => [p.id, p.label])]}
        />
      )}
      {f.type !== 'simulated' && (
        <div class="port-picker">
          <button
            type="button"
            class="btn-plain"
            data-cmd="find-ports"
            onClick={async () => {
              const r = await s.call<ProbeReport>('GET', '/api/device-ports', undefined, true);
              if (!r.ok) return setError(serverError(r.error));
              setPorts({ choices: portChoices(r.value), notes: r.value.notes });
            }}
          >
            查找本机端口 <small>Find ports on the hall server</small>
          </button>
          {ports && (
            <div class="port-list">
              {ports.choices.length === 0 && <div class="muted">未发现设备 Nothing found</div>}
              {ports.choices.map((c) => (
                <button
                  key={c.key}
                  type="button"
                  class="port-choice"
                  onClick={() => setMany({ ...transportForm(c.transport), ...(c.kind && !device ? { kind: c.kind } : {}) })}
                >
                  <b>{c.label}</b>
                  <small>{c.why}</small>
                </button>
              ))}
              {ports.notes.map((n) => (
                <small key={n} class="muted">
                  {n}
                </small>
              ))}
            </div>
          )}
        </div>
      )}
      <div class="grid2">
        {showPath && <Text label={f.type === 'serial' ? '串口路径 Port（建议 /dev/serial/by-id/…，Windows 为 COM3）' : '设备文件 Path（/dev/usb/lp0）'} value={f.path} set={field('path')} name="device-path" />}
        {f.type === 'serial' && (
          <>
            <Text label="波特率 Baud（留空 = 默认：阅读器115200，RS-485按协议，其他9600）" type="number" value={f.baudRate} set={field('baudRate')} name="device-baud" />
            <Select label="流控 Flow control" value={f.flowControl} set={field('flowControl')} options={[['', '（默认）'], ['none', '无 none'], ['rts-cts', '硬件 RTS/CTS'], ['xon-xoff', '软件 XON/XOFF']]} />
            <Select label="DTR 线 DTR line" value={f.dtr} set={field('dtr')} options={[['', '（系统默认）'], ['on', '置高 on'], ['off', '置低 off']]} />
            <Select label="RTS 线 RTS line" value={f.rts} set={field('rts')} options={[['', '（系统默认）'], ['on', '置高 on'], ['off', '置低 off']]} />
          </>
        )}
        {f.type === 'tcp' && (
          <>
            <Text label="主机地址 Host" value={f.host} set={field('host')} name="device-host" />
            <Text label="端口号 Port" type="number" value={f.port} set={field('port')} name="device-port" />
          </>
        )}
        {(f.type === 'hid' || f.type === 'usb-bulk') && (
          <>
            <Text label="厂商ID VID（十六进制，如 0400）" value={f.vendorId} set={field('vendorId')} name="device-vid" />
            <Text label="产品ID PID（十六进制，如 C35A）" value={f.productId} set={field('productId')} name="device-pid" />
            <Text label="序列号 Serial number（区分两台同型号设备）" value={f.serialNumber} set={field('serialNumber')} />
          </>
        )}
        {f.type === 'hid' && <Text label="hidraw 路径（选填，优先于 VID/PID） Path" value={f.hidPath} set={field('hidPath')} />}
        {f.type === 'vendor-sdk' && <Text label="厂商工具名 Tool（在 HALL_VENDOR_TOOLS 中配置）" value={f.tool} set={field('tool')} />}
        {f.type === 'windows-printer' && <Text label="打印机队列名或共享 Printer（如 POS-80 或 \\KIOSK1\POS80）" value={f.printer} set={field('printer')} />}
        {rs485 && (
          <>
            <Text label="总线地址 Address (0–255)" type="number" min={0} max={255} value={f.address} set={field('address')} name="device-address" />
            <Select
              label="帧协议 Frame profile"
              value={f.profile}
              set={field('profile')}
              options={[['', '默认 hall-default'], ...(profiles ?? []).filter((p) => p.id !== 'hall-default').map((p): [string, string] => [p.id, `${p.id}${p.builtIn ? '（内置）' : '（自定义）'}`])]}
            />
          </>
        )}
        {f.kind === 'printer' && <Text label="打印机预设 Preset（如 “80 raster gb18030”、“58”）" value={f.profile} set={field('profile')} />}
      </div>
      <label class="field">
        <span>高级选项 Options（JSON，如 {'{"paperWidth": 58, "statusPollMs": 5000}'}；留空 = 无）</span>
        <textarea rows={2} value={f.options} onInput={(e) => field('options')((e.target as HTMLTextAreaElement).value)} name="device-options" />
      </label>
      <FormError error={error} />
      <SaveButton zh={device ? '保存并重新打开' : '添加'} en={device ? 'Save' : 'Add'} />
    </form>
  );
}

/** A vendor's RS-485 frame as data (drivers/src/rs485/README.md, "Writing a profile from a vendor's protocol sheet"). */
function FrameProfiles() {
  const s = useStaff();
  const [profiles, reload] = useLoad<{ id: string; builtIn: boolean; description?: string | null; definition?: unknown }[]>('/api/frame-profiles');
  const [id, setId] = useState('');
  const [json, setJson] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form frame-profiles"
      onSubmit={async (e) => {
        e.preventDefault();
        let body: unknown;
        try {
          body = JSON.parse(json);
        } catch {
          return setError('协议定义须为 JSON The definition must be JSON');
        }
        const r = await s.call('PUT', `/api/frame-profiles/${encodeURIComponent(id.trim())}`, body, true);
        if (!r.ok) return setError(serverError(r.error));
        setError(null);
        s.toast('info', `帧协议 ${id} 已保存，使用它的设备已重新打开`);
        reload();
      }}
    >
      <h2>
        RS-485 帧协议 <small>Frame profiles (LED boards, keypads, evaluators from other vendors)</small>
      </h2>
      <div class="chips">
        {(profiles ?? []).map((p) => (
          <button
            key={p.id}
            type="button"
            class="chip"
            title={p.description ?? ''}
            onClick={() => {
              setId(p.builtIn ? '' : p.id);
              setJson(p.builtIn ? '' : JSON.stringify(p.definition, null, 2));
            }}
          >
            {p.id}
            {p.builtIn ? '（内置）' : ''}
          </button>
        ))}
      </div>
      <Text label="协议编号 Id（小写字母、数字、-）" value={id} set={setId} required />
      <label class="field">
        <span>定义 Definition（JSON：header、trailer、length、addressBytes、checksum、commands、keys…）</span>
        <textarea rows={6} value={json} onInput={(e) => setJson((e.target as HTMLTextAreaElement).value)} required />
      </label>
      <FormError error={error} />
      <SaveButton zh="保存协议" en="Save profile" />
    </form>
  );
}
