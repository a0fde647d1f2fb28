/**
 * Read views over the state, in the protocol's wire shapes. Config (names, numbers, weights)
 * is read at view time, so an admin's change shows at once.
 */
import { toHallIso } from '@hall/protocol';
import type { CounterView, HallConfig, QueueSnapshot, RecentCall, Service, ServiceClosedReason, ServiceSummary, Ticket } from '@hall/protocol';
import type { ViewContext } from './context';
import { projectServiceOrder, waitingAheadOf } from './projection';
import { closedCounter, waitingCount } from './state';
import type { CallRecord, QueueState, TicketRecord } from './state';
import { isServiceIssuing } from './ticket-hours';

export const DEFAULT_WAITING_NUMBERS_LIMIT = 20;

/** Mean service minutes of a service today, or null before its first finished service. */
export function meanServiceMinutes(state: QueueState, serviceId: string): number | null {
  const s = state.services.get(serviceId);
  if (!s || s.finished === 0) return null;
  return s.serviceMsTotal / s.finished / 60_000;
}

/** Open (not paused, not closed) counters that serve the service. */
export function openCountersServing(state: QueueState, config: HallConfig, serviceId: string): number {
  let n = 0;
  for (const c of config.counters) {
    if (!c.services.some((l) => l.serviceId === serviceId)) continue;
    if (state.counters.get(c.id)?.state === 'open') n++;
  }
  return n;
}

/**
 * Estimated wait: tickets ahead × the service's mean service minutes today ÷ the open counters
 * serving it (at least one), rounded up; null while the service has no finished service today.
 */
export function estimateWaitMinutes(state: QueueState, config: HallConfig, serviceId: string, ahead: number): number | null {
  return waitEstimator(state, config, serviceId)(ahead);
}

/** The estimate of one service as a function of tickets ahead (reads the state once). */
export function waitEstimator(state: QueueState, config: HallConfig, serviceId: string): (ahead: number) => number | null {
  const mean = meanServiceMinutes(state, serviceId);
  if (mean === null) return () => null;
  const counters = Math.max(1, openCountersServing(state, config, serviceId));
  return (ahead) => Math.ceil((ahead * mean) / counters);
}

function serviceName(config: HallConfig, serviceId: string): string {
  return config.services.find((s) => s.id === serviceId)?.name ?? serviceId;
}

function toTicket(state: QueueState, t: TicketRecord, ctx: ViewContext, ahead: number, estimate?: (ahead: number) => number | null): Ticket {
  const waiting = t.status === 'waiting';
  return {
    id: t.id,
    number: t.number,
    serviceId: t.serviceId,
    serviceName: serviceName(ctx.config, t.serviceId),
    priority: t.priority,
    source: t.source,
    status: t.status,
    waitingAhead: waiting ? ahead : 0,
    estimatedWaitMinutes: waiting ? (estimate ?? waitEstimator(state, ctx.config, t.serviceId))(ahead) : null,
    holderName: t.holder?.maskedName ?? null,
    issuedAt: t.issuedAt,
    calledAt: t.calledAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    counterId: t.counterId,
    counterNumber: t.counterNumber,
    recalls: t.recalls,
    requeues: t.requeues,
    transferredFrom: t.transferredFrom,
    rated: t.rating !== null,
  };
}

/** The protocol Ticket, without its trackToken. */
export function ticketView(state: QueueState, ticketId: string, ctx: ViewContext): Ticket | undefined {
  const t = state.tickets.get(ticketId);
  if (!t) return undefined;
  const ahead = t.status === 'waiting' ? waitingAheadOf(state, t.id, ctx.config.hall.policy, ctx.now) : 0;
  return toTicket(state, t, ctx, ahead);
}

/**
 * Every waiting, called or serving ticket (the staff snapshot), waiting ones in projected call
 * order per service; one projection per service, not one per ticket.
 */
export function activeTicketViews(state: QueueState, ctx: ViewContext): Ticket[] {
  const out: Ticket[] = [];
  for (const serviceId of state.services.keys()) {
    const { order } = projectServiceOrder(state, serviceId, ctx.config.hall.policy, ctx.now);
    const estimate = waitEstimator(state, ctx.config, serviceId);
    order.forEach((id, i) => {
      const t = state.tickets.get(id);
      if (t) out.push(toTicket(state, t, ctx, i, estimate));
    });
  }
  for (const c of state.counters.values()) {
    const t = c.currentTicketId === null ? undefined : state.tickets.get(c.currentTicketId);
    if (t) out.push(toTicket(state, t, ctx, 0));
  }
  return out;
}

export function ticketTrackToken(state: QueueState, ticketId: string): string | undefined {
  return state.tickets.get(ticketId)?.trackToken;
}

export function findTicketIdByNumber(state: QueueState, number: string): string | undefined {
  return state.byNumber.get(number.trim().toUpperCase());
}

export function counterOfUser(state: QueueState, userId: string): string | undefined {
  return state.userCounter.get(userId);
}

/**
 * Why the service issues no ticket now, or null when it does. A used-up quota comes before the
 * hours: at lunch a citizen should learn that today is over for it, not to wait until 13:30.
 */
function closedReason(state: QueueState, s: Service, ctx: ViewContext): ServiceClosedReason | null {
  if (state.closed) return 'day-closed';
  if (!s.enabled) return 'disabled';
  const day = state.services.get(s.id);
  if (s.dailyQuota > 0 && (day?.issued ?? 0) >= s.dailyQuota) return 'quota';
  if ((day?.lastNumber ?? s.numberStart - 1) >= s.numberEnd) return 'quota';
  return isServiceIssuing(s, ctx.config.hall, ctx.now, ctx.tz) ? null : 'hours';
}

/** Services as kiosks and screens list them: enabled ones, plus disabled ones still with a queue. */
function listedServices(state: QueueState, config: HallConfig): Service[] {
  return config.services
    .filter((s) => s.enabled || waitingCount(state, s.id) > 0)
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.sort - b.s.sort || a.i - b.i)
    .map((x) => x.s);
}

export function serviceSummaries(state: QueueState, ctx: ViewContext): ServiceSummary[] {
  return listedServices(state, ctx.config).map((s) => {
    const waiting = waitingCount(state, s.id);
    const reason = closedReason(state, s, ctx);
    return {
      id: s.id,
      prefix: s.prefix,
      name: s.name,
      nameEn: s.nameEn,
      category: s.category,
      open: reason === null,
      waiting,
      idRequired: s.idRequired,
      materials: [...s.materials],
      estimatedWaitMinutes: estimateWaitMinutes(state, ctx.config, s.id, waiting),
      closedReason: reason,
    };
  });
}

export function counterView(state: QueueState, counterId: string, ctx: ViewContext): CounterView | undefined {
  const c = ctx.config.counters.find((x) => x.id === counterId);
  if (!c) return undefined;
  const day = state.counters.get(counterId) ?? closedCounter();
  const t = day.currentTicketId === null ? undefined : state.tickets.get(day.currentTicketId);
  const user = day.userId === null ? undefined : ctx.config.users.find((u) => u.id === day.userId);
  return {
    id: c.id,
    number: c.number,
    name: c.name,
    state: day.state,
    pauseReason: day.pauseReason,
    serviceIds: c.services.map((l) => l.serviceId),
    currentTicket: t ? { id: t.id, number: t.number, status: t.status } : null,
    clerk: day.userId === null ? null : { id: day.userId, name: user?.name ?? day.userId, staffNo: user?.staffNo ?? '' },
    zone: c.zone,
    stateSince: day.since,
    idleSince: day.idleSince,
  };
}

/** Enabled counters (and any disabled one still signed in), by the number on the wall. */
export function counterViews(state: QueueState, ctx: ViewContext): CounterView[] {
  return [...ctx.config.counters]
    .filter((c) => c.enabled || (state.counters.get(c.id)?.state ?? 'closed') !== 'closed')
    .sort((a, b) => a.number - b.number)
    .map((c) => counterView(state, c.id, ctx) as CounterView);
}

/** The spoken and shown call text from the hall's phrase template. */
export function callPhrase(template: string, v: { number: string; counter: number; counterName: string; service: string }): string {
  return template
    .replaceAll('{number}', v.number)
    .replaceAll('{counterName}', v.counterName)
    .replaceAll('{counter}', String(v.counter))
    .replaceAll('{service}', v.service);
}

export function recentCallView(call: CallRecord, config: HallConfig): RecentCall {
  const counter = config.counters.find((c) => c.id === call.counterId);
  const counterName = counter?.name ?? `${call.counterNumber}`;
  const svc = serviceName(config, call.serviceId);
  return {
    ticketNumber: call.ticketNumber,
    ticketId: call.ticketId,
    counterNumber: call.counterNumber,
    counterName,
    serviceName: svc,
    phrase: callPhrase(config.hall.phraseTemplate, {
      number: call.ticketNumber,
      counter: call.counterNumber,
      counterName,
      service: svc,
    }),
    at: call.at,
    recall: call.recall,
  };
}

/**
 * What a hall screen shows; no personal data. `recentCalls` newest first; `waitingNumbers` per
 * listed service in projected call order, at most `ctx.waitingNumbersLimit` (default 20) each.
 */
export function queueSnapshot(state: QueueState, ctx: ViewContext): QueueSnapshot {
  const { config } = ctx;
  const limit = ctx.waitingNumbersLimit ?? DEFAULT_WAITING_NUMBERS_LIMIT;
  const services = serviceSummaries(state, ctx);
  const waitingNumbers: Record<string, string[]> = {};
  for (const s of services) {
    const { order } = projectServiceOrder(state, s.id, config.hall.policy, ctx.now, { limit });
    waitingNumbers[s.id] = order.map((id) => state.tickets.get(id)?.number ?? '');
  }
  return {
    hall: { id: config.hall.id, name: config.hall.name, level: config.hall.level },
    day: state.day,
    services,
    counters: counterViews(state, ctx),
    recentCalls: [...state.recentCalls].reverse().map((c) => recentCallView(c, config)),
    waitingNumbers,
    // A notice dated from/to shows on those hall days only (inclusive).
    notices: config.notices.filter((n) => (!n.from || n.from <= state.day) && (!n.to || state.day <= n.to)).map((n) => n.text),
    at: toHallIso(ctx.now, ctx.tz),
  };
}
