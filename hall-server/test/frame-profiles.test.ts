/**
 * Issue 15 on the hall server: frame profiles defined over HTTP and used by devices, the
 * id-reader's 115200 default, serial line options and HID serial numbers in device config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYPAD_ECHO_DEFINITION } from '@hall/drivers';
import { FAST_DEVICES } from '../src/devices/test-support';
import type { DeviceListView } from '../src/devices';
import { startTestHall, type TestHall } from './harness';

const board = {
  name: '某厂窗口屏',
  header: 'FF',
  trailer: '',
  length: { bytes: 1, endian: 'big', counts: 'data' },
  addressBytes: 1,
  checksum: 'sum8',
  acks: true,
  ack: { function: '7F' },
  poll: '7E',
  commands: { show: { function: '01', text: 'gbk' }, clear: { function: '02' } },
};

/** Polls an async check until it holds (a hang fails the test, no speed is asserted). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface ErrorBody {
  error: { code: string; message: string };
}

describe('frame profiles and device options over HTTP', () => {
  let t: TestHall;
  let admin: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown, token = admin) => t.api<T>(method, path, body, token);

  beforeAll(async () => {
    t = await startTestHall({ devices: { ...FAST_DEVICES, ack: { timeoutMs: 150, retries: 1 } } });
    admin = await t.login();
  });
  afterAll(async () => {
    await t.close();
  });

  it('PUT defines a profile; GET lists built-in and defined ones', async () => {
    const put = await api('PUT', '/api/frame-profiles/vendor-x-board', board);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: 'vendor-x-board', builtIn: false, definition: board });
    const list = await api<Array<{ id: string; builtIn: boolean }>>('GET', '/api/frame-profiles');
    expect(list.status).toBe(200);
    expect(list.body.map((p) => p.id)).toEqual(expect.arrayContaining(['hall-default', 'keypad-echo', 'vendor-x-board']));
  });

  it('a bad profile is a 400 naming the field, and changes nothing', async () => {
    const bad = await api<ErrorBody>('PUT', '/api/frame-profiles/vendor-y', { ...board, length: { bytes: 3, endian: 'big', counts: 'data' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'PROTOCOL.INVALID_PAYLOAD', message: expect.stringContaining('length.bytes') });
    const list = await api<Array<{ id: string }>>('GET', '/api/frame-profiles');
    expect(list.body.map((p) => p.id)).not.toContain('vendor-y');
    const builtIn = await api<ErrorBody>('PUT', '/api/frame-profiles/hall-default', board);
    expect(builtIn.status).toBe(409);
    const clerkless = await t.api('PUT', '/api/frame-profiles/vendor-z', board);
    expect(clerkless.status).toBe(401);
  });

  it('a device runs on a defined profile (simulated line): keypad-echo copied under a new id', async () => {
    expect((await api('PUT', '/api/frame-profiles/my-keypad', KEYPAD_ECHO_DEFINITION)).status).toBe(200);
    const keypad = <T>(counterId: string, address: number, profile: string) =>
      api<T>('POST', '/api/devices', { kind: 'keypad', name: `${counterId} 呼叫器`, transport: { type: 'simulated' }, attachedTo: { counterId }, address, profile });
    const r = await keypad<DeviceListView>('ctr-1', 3, 'my-keypad');
    expect(r.status).toBe(201);
    await until('keypad online', async () => (await api<DeviceListView[]>('GET', '/api/devices')).body.find((d) => d.id === r.body.id)?.status === 'online');
    const unknown = await keypad<ErrorBody>('ctr-2', 4, 'no-such-profile');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/profile/);
  });

  it('an id-reader on serial without baudRate opens at 115200; a printer at 9600', async () => {
    const reader = await api<DeviceListView>('POST', '/api/devices', {
      kind: 'id-reader',
      name: '读卡器',
      transport: { type: 'serial', path: '/dev/hall-missing-reader' },
    });
    expect(reader.status).toBe(201);
    expect(reader.body.transport).toEqual({ type: 'serial', path: '/dev/hall-missing-reader' });
    await until('reader port named', async () =>
      /@115200/.test((await api<DeviceListView[]>('GET', '/api/devices')).body.find((d) => d.id === reader.body.id)?.detail ?? ''),
    );
    const printer = await api<DeviceListView>('POST', '/api/devices', { kind: 'printer', name: '打印机', transport: { type: 'serial', path: '/dev/hall-missing-printer' } });
    await until('printer port named', async () =>
      /@9600/.test((await api<DeviceListView[]>('GET', '/api/devices')).body.find((d) => d.id === printer.body.id)?.detail ?? ''),
    );
  });

  it('serial flow control and DTR/RTS, HID by serial number, are accepted and kept', async () => {
    const p = await api<DeviceListView>('POST', '/api/devices', {
      kind: 'printer',
      name: '串口打印机',
      transport: { type: 'serial', path: '/dev/serial/by-id/usb-hall-missing', baudRate: 19200, flowControl: 'rts-cts', dtr: true },
    });
    expect(p.status).toBe(201);
    expect(p.body.transport).toMatchObject({ flowControl: 'rts-cts', dtr: true });
    const h = await api<DeviceListView>('POST', '/api/devices', {
      kind: 'scanner',
      name: '扫码枪',
      transport: { type: 'hid', vendorId: 0x0c2e, productId: 0x0b61, serialNumber: 'SN-2' },
    });
    expect(h.status).toBe(201);
    const bad = await api<ErrorBody>('POST', '/api/devices', { kind: 'printer', name: 'x', transport: { type: 'serial', path: '/dev/x', flowControl: 'dsr' } });
    expect(bad.status).toBe(400);
  });

  it('printer: paper near end is a warning supervisors see (still online); paper out mid-ticket turns it to error', async () => {
    const kiosk = await api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '缺纸测试取号机' });
    const kioskToken = kiosk.body.token;
    const created = await api<DeviceListView>('POST', '/api/devices', { kind: 'printer', name: '打印机', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.body.id } });
    const printer = created.body.id;
    const health = async (): Promise<DeviceListView | undefined> => (await api<DeviceListView[]>('GET', '/api/devices')).body.find((d) => d.id === printer);
    await until('printer online', async () => (await health())?.status === 'online');
    expect((await api('POST', `/api/devices/${printer}/simulate`, { action: 'paper-near-end' })).status).toBe(200);
    const first = await t.api<{ print: string }>('POST', '/api/tickets', { serviceId: 'svc-social' }, kioskToken);
    expect(first.body.print).toBe('sent');
    await until('near-end warning', async () => (await health())?.detail === '纸将尽 paper near end');
    expect((await health())?.status).toBe('online');

    expect((await api('POST', `/api/devices/${printer}/simulate`, { action: 'fail-mid-ticket' })).status).toBe(200);
    const second = await t.api<{ print: string }>('POST', '/api/tickets', { serviceId: 'svc-social' }, kioskToken);
    expect(second.body.print).toBe('sent'); // the 201 never waits for paper
    await until('paper out after the cut', async () => (await health())?.status === 'error');
    expect((await health())?.detail).toBe('缺纸 paper out');
    const third = await t.api<{ print: string }>('POST', '/api/tickets', { serviceId: 'svc-social' }, kioskToken);
    expect(third.body.print).toBe('failed');
  });
});
