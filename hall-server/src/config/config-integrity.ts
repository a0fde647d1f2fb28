/**
 * What the zod schema cannot say about a HallConfig: ids and wall numbers are unique, and every
 * reference (a counter's services, a device's counter or terminal) points at something that
 * exists. The queue engine relies on these; a dangling id would otherwise surface as a wrong
 * call in front of a citizen.
 */
import { isValidTimeZone } from '@hall/protocol';
import type { HallConfig } from '@hall/protocol';

export interface ConfigIssue {
  /** `counters[1].services[0].serviceId` */
  field: string;
  message: string;
}

function duplicate<T>(list: string, items: readonly T[], prop: string, key: (item: T) => string | number): ConfigIssue | null {
  const seen = new Set<string | number>();
  for (const [index, item] of items.entries()) {
    const value = key(item);
    if (seen.has(value)) return { field: `${list}[${index}].${prop}`, message: `${JSON.stringify(value)} is used twice` };
    seen.add(value);
  }
  return null;
}

export function checkConfigIntegrity(cfg: HallConfig): ConfigIssue | null {
  if (!isValidTimeZone(cfg.hall.timezone)) return { field: 'hall.timezone', message: `unknown time zone ${JSON.stringify(cfg.hall.timezone)}` };
  const holidays = new Set(cfg.hall.calendar.holidays);
  const both = cfg.hall.calendar.workdays.findIndex((d) => holidays.has(d));
  if (both >= 0) return { field: `hall.calendar.workdays[${both}]`, message: `${cfg.hall.calendar.workdays[both]} is also listed as a holiday` };

  const dup =
    duplicate('services', cfg.services, 'id', (s) => s.id) ??
    duplicate('services', cfg.services, 'prefix', (s) => s.prefix) ??
    duplicate('counters', cfg.counters, 'id', (c) => c.id) ??
    duplicate('counters', cfg.counters, 'number', (c) => c.number) ??
    duplicate('users', cfg.users, 'id', (u) => u.id) ??
    duplicate('users', cfg.users, 'username', (u) => u.username.toLowerCase()) ??
    duplicate('terminals', cfg.terminals, 'id', (t) => t.id) ??
    duplicate('devices', cfg.devices, 'id', (d) => d.id) ??
    duplicate('notices', cfg.notices, 'id', (n) => n.id);
  if (dup) return dup;

  const serviceIds = new Set(cfg.services.map((s) => s.id));
  for (const [ci, counter] of cfg.counters.entries()) {
    const seen = new Set<string>();
    for (const [li, link] of counter.services.entries()) {
      const field = `counters[${ci}].services[${li}].serviceId`;
      if (!serviceIds.has(link.serviceId)) return { field, message: `no service with id ${JSON.stringify(link.serviceId)}` };
      if (seen.has(link.serviceId)) return { field, message: `${JSON.stringify(link.serviceId)} is listed twice for this counter` };
      seen.add(link.serviceId);
    }
  }
  const counterIds = new Set(cfg.counters.map((c) => c.id));
  const terminalIds = new Set(cfg.terminals.map((t) => t.id));
  for (const [di, device] of cfg.devices.entries()) {
    const a = device.attachedTo;
    if (a && 'counterId' in a && !counterIds.has(a.counterId)) {
      return { field: `devices[${di}].attachedTo.counterId`, message: `no counter with id ${JSON.stringify(a.counterId)}` };
    }
    if (a && 'terminalId' in a && !terminalIds.has(a.terminalId)) {
      return { field: `devices[${di}].attachedTo.terminalId`, message: `no terminal with id ${JSON.stringify(a.terminalId)}` };
    }
  }
  return null;
}
