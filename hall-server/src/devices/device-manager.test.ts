/** The device manager over an in-memory config: create/remove, print routing, agents. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device, HallConfig, Result, Ticket } from '@hall/protocol';
import type { DeviceHealth, TicketPrintJob } from '@hall/drivers';
import { createDemoConfig, type ConfigStore } from '../config';
import { DeviceManager, type AgentLink } from './device-manager';
import { formatIssuedAt, ticketPrintJob } from './print-job';
import { FAST_DEVICES, memoryConfig, silentLog, waitFor } from './test-support';

function hallWithKiosk(): HallConfig {
  const cfg = createDemoConfig();
  cfg.devices = [];
  cfg.terminals.push({ id: 'k1', kind: 'kiosk', name: '取号机', zone: null, tokenHash: 'x', createdAt: '2026-01-01T00:00:00+08:00', revoked: false });
  cfg.terminals.push({ id: 'k2', kind: 'kiosk', name: '取号机2', zone: null, tokenHash: 'y', createdAt: '2026-01-01T00:00:00+08:00', revoked: false });
  return cfg;
}

const ticket: Ticket = {
  id: 't1',
  number: 'A001',
  serviceId: 'svc-social',
  serviceName: '社会保险',
  priority: 'elderly',
  source: 'kiosk',
  status: 'waiting',
  waitingAhead: 2,
  estimatedWaitMinutes: 9,
  holderName: '王*英',
  issuedAt: '2026-11-26T09:30:12+08:00',
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  counterId: null,
  counterNumber: null,
  recalls: 0,
  requeues: 0,
  transferredFrom: null,
  rated: false,
};

class FakeAgent implements AgentLink {
  devices: Device[][] = [];
  jobs: Array<{ deviceId: string; job: TicketPrintJob }> = [];
  constructor(readonly terminalId: string) {}
  sendDevices(devices: Device[]): void {
    this.devices.push(devices);
  }
  print(deviceId: string, job: TicketPrintJob): void {
    this.jobs.push({ deviceId, job });
  }
  async simulate(): Promise<Result<Record<string, unknown>>> {
    return { ok: true, value: { relayed: true } };
  }
}

describe('DeviceManager', () => {
  let config: ConfigStore;
  let manager: DeviceManager;
  const health: Array<[string, DeviceHealth]> = [];

  beforeEach(async () => {
    config = memoryConfig(hallWithKiosk());
    manager = new DeviceManager(config, silentLog, FAST_DEVICES);
    health.length = 0;
    manager.on('health', (d, h) => health.push([d.id, h]));
    await manager.start();
  });
  afterEach(async () => {
    await manager.stop();
  });

  const onlineSoon = (id: string): Promise<unknown> => waitFor(() => manager.healthOf(id).status === 'online', 3000, `${id} online`);

  it('creates a device: saved in config, opened at once, listed with its health', async () => {
    const r = await manager.create({ kind: 'printer', name: '打印机', transport: { type: 'simulated' }, attachedTo: { terminalId: 'k1' } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ kind: 'printer', attachedTo: { terminalId: 'k1' }, runsOn: 'hall' });
    expect(config.data.devices.map((d) => d.id)).toEqual([r.value.id]);
    await onlineSoon(r.value.id);
    expect(manager.list()).toEqual([expect.objectContaining({ id: r.value.id, status: 'online', detail: null })]);
    expect(health.some(([id, h]) => id === r.value.id && h.status === 'online')).toBe(true);
  });

  it('refuses configs it cannot run, naming the field; nothing is saved', async () => {
    const bad = [
      { kind: 'keypad', name: 'k', transport: { type: 'simulated' }, attachedTo: { counterId: 'ctr-1' } },
      { kind: 'led-board', name: 'l', transport: { type: 'simulated' }, address: 1, profile: 'acme-9000' },
      { kind: 'printer', name: 'p', transport: { type: 'simulated' }, attachedTo: { counterId: 'ctr-1' } },
      { kind: 'printer', name: 'p', transport: { type: 'simulated' }, options: { paperWidth: 66 } },
      { kind: 'evaluator', name: 'e', transport: { type: 'simulated' }, address: 3 },
      { kind: 'printer', name: 'p', transport: { type: 'simulated' }, attachedTo: { terminalId: 'nope' } },
    ] as const;
    for (const req of bad) {
      const r = await manager.create(req as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
    }
    expect(config.data.devices).toEqual([]);
  });

  it('removes a device (closing it); an unknown id is DEVICE.NOT_FOUND', async () => {
    const r = await manager.create({ kind: 'scanner', name: 's', transport: { type: 'simulated' }, attachedTo: { terminalId: 'k1' } });
    if (!r.ok) throw new Error(r.error.message);
    expect(manager.runtime.has(r.value.id)).toBe(true);
    expect(await manager.remove(r.value.id)).toEqual({ ok: true, value: null });
    expect(manager.runtime.has(r.value.id)).toBe(false);
    expect(config.data.devices).toEqual([]);
    const again = await manager.remove(r.value.id);
    expect(again.ok ? null : again.error.code).toBe('DEVICE.NOT_FOUND');
  });

  it('printTicket: none without a printer, sent on an online one, failed when none is online', async () => {
    expect(manager.printTicket('k1', ticket, 'http://h/t')).toBe('none');
    const r = await manager.create({ kind: 'printer', name: 'p', transport: { type: 'simulated' }, attachedTo: { terminalId: 'k1' } });
    if (!r.ok) throw new Error(r.error.message);
    await onlineSoon(r.value.id);
    const sim = manager.runtime.simulator(r.value.id);
    if (sim?.kind !== 'printer') throw new Error('no sim');
    const printed = sim.printer.nextTicket();
    expect(manager.printTicket('k1', ticket, 'http://h/ticket/t1?token=abc')).toBe('sent');
    const t = await printed;
    expect(t.text).toContain('A001');
    expect(t.text).toContain('王*英');
    expect(t.text).toContain('老年人');
    expect(t.qrCodes).toEqual(['http://h/ticket/t1?token=abc']);
    expect(manager.printTicket('k2', ticket, 'x')).toBe('none');

    await manager.simulate(r.value.id, { action: 'unplug' });
    await waitFor(() => manager.healthOf(r.value.id).status === 'offline', 3000, 'offline');
    expect(manager.printTicket('k1', ticket, 'x')).toBe('failed');
  });

  it('a terminal whose agent connects: its devices move to the agent; printing goes there; offline agent → failed', async () => {
    const r = await manager.create({ kind: 'printer', name: 'p', transport: { type: 'simulated' }, attachedTo: { terminalId: 'k1' } });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.id;
    await onlineSoon(id);
    const agent = new FakeAgent('k1');
    await manager.agentConnected(agent);
    expect(manager.runtime.has(id)).toBe(false); // closed here
    expect(agent.devices.at(-1)?.map((d) => d.id)).toEqual([id]);
    expect(manager.view(config.data.devices[0] as Device).runsOn).toBe('agent');
    expect(manager.healthOf(id).status).toBe('offline');
    expect(manager.printTicket('k1', ticket, 'u')).toBe('failed'); // the agent has not opened it yet

    manager.agentHealth(agent, id, { status: 'online', detail: null });
    expect(manager.printTicket('k1', ticket, 'http://h/t')).toBe('sent');
    expect(agent.jobs).toEqual([{ deviceId: id, job: expect.objectContaining({ ticketNumber: 'A001', trackUrl: 'http://h/t' }) }]);

    // An agent speaks only for its own terminal.
    const other = new FakeAgent('k2');
    await manager.agentConnected(other);
    manager.agentHealth(other, id, { status: 'error', detail: 'spoofed' });
    expect(manager.healthOf(id).status).toBe('online');

    // Simulator actions on an agent's device are relayed to it.
    expect(await manager.simulate(id, { action: 'paper-out', on: true })).toEqual({ ok: true, value: { relayed: true } });

    manager.agentDisconnected(agent);
    expect(manager.healthOf(id)).toMatchObject({ status: 'offline', detail: expect.stringContaining('agent') });
    expect(manager.printTicket('k1', ticket, 'u')).toBe('failed');
    // A new device for that terminal goes to the agent, not to a port on this machine.
    const r2 = await manager.create({ kind: 'scanner', name: 's', transport: { type: 'serial', path: '/dev/ttyACM9', baudRate: 9600 }, attachedTo: { terminalId: 'k1' } });
    expect(r2.ok && r2.value.runsOn).toBe('agent');
    expect(manager.runtime.has(r2.ok ? r2.value.id : '')).toBe(false);
  });

  it('options.runsOn "agent" keeps a device off this machine from the start', async () => {
    const r = await manager.create({
      kind: 'id-reader',
      name: 'r',
      transport: { type: 'serial', path: '/dev/ttyUSB7', baudRate: 115200 },
      attachedTo: { terminalId: 'k1' },
      options: { runsOn: 'agent' },
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ runsOn: 'agent', status: 'offline', detail: expect.stringContaining('agent') });
    expect(manager.runtime.has(r.value.id)).toBe(false);
  });
});

describe('ticketPrintJob', () => {
  it('is display-ready: hall-local time, materials, priority label, masked name, footer', () => {
    const cfg = createDemoConfig();
    const job = ticketPrintJob(cfg, ticket, 'http://h/ticket/t1?token=abc');
    expect(job).toMatchObject({
      hallName: cfg.hall.name,
      serviceName: '社会保险',
      ticketNumber: 'A001',
      priorityLabel: '老年人',
      waitingAhead: 2,
      estimatedWaitMinutes: 9,
      issuedAt: '2026-11-26 09:30',
      trackUrl: 'http://h/ticket/t1?token=abc',
      maskedHolderName: '王*英',
    });
    expect(job.materials).toEqual(cfg.services.find((s) => s.id === 'svc-social')?.materials);
    expect(job.footerLines.length).toBeGreaterThan(0);
    expect(ticketPrintJob(cfg, { ...ticket, priority: 'normal' }, 'u').priorityLabel).toBeNull();
    expect(formatIssuedAt('2026-01-02T23:59:59+08:00')).toBe('2026-01-02 23:59');
  });
});
