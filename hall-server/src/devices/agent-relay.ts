/**
 * The hall server's side of a kiosk agent socket (`/kiosk`, `auth.agent: true`): it sends the
 * agent its terminal's devices and print jobs, and takes health, card swipes and scans back.
 * Every payload from the agent is parsed before it is used, and only speaks for devices attached
 * to the agent's own terminal.
 */
import { z } from 'zod';
import {
  hallError,
  isHallError,
  type AckResult,
  type AgentClientEvents,
  type AgentServerEvents,
  type Device,
  type Result,
  type Terminal,
} from '@hall/protocol';
import type { Socket } from 'socket.io';
import type { TicketPrintJob } from '@hall/drivers';
import type { Logger } from '../logging';
import type { AgentLink, DeviceManager } from './device-manager';
import type { SimulateAction } from './simulators';

export type AgentSocket = Socket<AgentClientEvents, AgentServerEvents>;

const DeviceId = z.string().min(1).max(64);
const Detail = z.string().max(500).nullable();

export const AgentHealthMessage = z.object({ deviceId: DeviceId, status: z.enum(['online', 'offline', 'error']), detail: Detail }).strict();
const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const AgentIdCardMessage = z
  .object({
    deviceId: DeviceId,
    card: z
      .object({ name: z.string().min(1).max(60), idNumber: z.string().min(15).max(18), birthDate: DateText, validTo: DateText.nullable() })
      .strict(),
  })
  .strict();
export const AgentDeviceMessage = z.object({ deviceId: DeviceId }).strict();
export const AgentCardErrorMessage = z.object({ deviceId: DeviceId, code: z.string().max(60), message: z.string().max(300) }).strict();
export const AgentScanMessage = z.object({ deviceId: DeviceId, text: z.string().min(1).max(4096) }).strict();

const PRINT_ACK_MS = 10_000;
const SIMULATE_ACK_MS = 5_000;

/** Wires one agent socket to the manager until it disconnects. */
export function attachAgentSocket(manager: DeviceManager, socket: AgentSocket, terminal: Terminal, log: Logger): AgentLink {
  const link: AgentLink = {
    terminalId: terminal.id,
    sendDevices(devices: Device[]) {
      socket.emit('devices', devices);
    },
    print(deviceId: string, job: TicketPrintJob, done?: (ok: boolean, code: string | null) => void) {
      socket
        .timeout(PRINT_ACK_MS)
        .emit('print', { deviceId, job: { ...job, materials: [...job.materials], footerLines: [...job.footerLines] } }, (err: Error | null, res?: AckResult<null>) => {
          if (err) log.warn({ terminal: terminal.id, device: deviceId, ticket: job.ticketNumber }, 'kiosk agent did not confirm a print job');
          else if (res && !res.ok) log.warn({ terminal: terminal.id, device: deviceId, code: res.error.code, ticket: job.ticketNumber }, 'ticket not printed by the kiosk agent');
          const ok = !err && res?.ok === true;
          done?.(ok, ok ? null : err ? 'PRINTER.NO_ANSWER' : res && !res.ok ? res.error.code : 'PRINTER.NO_ANSWER');
        });
    },
    async simulate(deviceId: string, action: SimulateAction): Promise<Result<Record<string, unknown>>> {
      try {
        const res = (await socket.timeout(SIMULATE_ACK_MS).emitWithAck('simulate', { deviceId, action })) as AckResult<Record<string, unknown>>;
        if (res && typeof res === 'object' && 'ok' in res) {
          if (res.ok) return { ok: true, value: res.value };
          if (isHallError(res.error)) return { ok: false, error: res.error };
        }
        return { ok: false, error: hallError('SERVER.INTERNAL', 'the kiosk agent gave a malformed answer') };
      } catch {
        return { ok: false, error: hallError('SERVER.UNAVAILABLE', 'the kiosk agent did not answer') };
      }
    },
  };

  const bad = (event: string): void => log.warn({ terminal: terminal.id, event }, 'kiosk agent sent a malformed message; ignored');

  socket.on('device-health', (msg) => {
    const p = AgentHealthMessage.safeParse(msg);
    if (!p.success) return bad('device-health');
    manager.agentHealth(link, p.data.deviceId, { status: p.data.status, detail: p.data.detail });
  });
  // The one place an ID number crosses the wire: the agent's reader read it on the kiosk PC, and
  // only the hall server holds the keyed-hash key (a plain hash of the small ID-number space could
  // be reversed), so the raw fields travel agent → hall over the hall LAN once. They are hashed and
  // masked at once (KioskDevices) and never stored, logged or sent on; `bad()` logs the event name only.
  socket.on('id-card', (msg) => {
    const p = AgentIdCardMessage.safeParse(msg);
    if (!p.success) return bad('id-card');
    manager.agentCard(link, p.data.deviceId, p.data.card);
  });
  socket.on('id-card-removed', (msg) => {
    const p = AgentDeviceMessage.safeParse(msg);
    if (!p.success) return bad('id-card-removed');
    manager.agentCardRemoved(link, p.data.deviceId);
  });
  socket.on('id-card-error', (msg) => {
    const p = AgentCardErrorMessage.safeParse(msg);
    if (!p.success) return bad('id-card-error');
    manager.agentCardError(link, p.data.deviceId, { code: p.data.code, message: p.data.message });
  });
  socket.on('scan', (msg) => {
    const p = AgentScanMessage.safeParse(msg);
    if (!p.success) return bad('scan');
    manager.agentScan(link, p.data.deviceId, p.data.text);
  });
  socket.on('disconnect', () => {
    log.info({ terminal: terminal.id }, 'kiosk agent disconnected');
    manager.agentDisconnected(link);
  });
  log.info({ terminal: terminal.id }, 'kiosk agent connected');
  void manager.agentConnected(link);
  return link;
}
