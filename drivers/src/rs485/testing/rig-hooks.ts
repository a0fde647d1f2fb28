/** Per-test rig and bus for the contract suites. */
import { afterEach, beforeEach } from 'vitest';
import type { DeviceDriver } from '../../device';
import { Rs485Bus } from '../rs485-bus';
import type { RigFactory, Rs485Rig } from './rigs';

export interface RigContext {
  rig: Rs485Rig;
  bus: Rs485Bus;
  /** Started devices, stopped after each test. */
  devices: DeviceDriver[];
  start<D extends DeviceDriver>(device: D): Promise<D>;
}

export function useRig(factory: RigFactory | undefined): RigContext {
  const ctx = {
    devices: [] as DeviceDriver[],
    async start<D extends DeviceDriver>(device: D): Promise<D> {
      ctx.devices.push(device);
      await device.start();
      return device;
    },
  } as RigContext;
  beforeEach(async () => {
    if (!factory) return;
    ctx.rig = await factory();
    ctx.bus = new Rs485Bus(ctx.rig.host, ctx.rig.busOptions);
    ctx.devices = [];
  });
  afterEach(async () => {
    if (!factory) return;
    for (const d of ctx.devices) await d.stop();
    await ctx.bus.stop();
    await ctx.rig.close();
  });
  return ctx;
}
