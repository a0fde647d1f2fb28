/**
 * A ticket as the printer gets it: display-ready, hall-local time, the service's materials
 * (一次性告知), the holder's masked name only. Built synchronously in the issue path.
 */
import { PRIORITY_LABELS, type HallConfig, type Ticket } from '@hall/protocol';
import type { TicketPrintJob } from '@hall/drivers';

export const DEFAULT_FOOTER = '请留意叫号 过号请重新取号';

/** `2026-11-26T09:30:00+08:00` → `2026-11-26 09:30`: the ISO string is already hall-local. */
export function formatIssuedAt(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

export function ticketPrintJob(config: HallConfig, ticket: Ticket, trackUrl: string): TicketPrintJob {
  const service = config.services.find((s) => s.id === ticket.serviceId);
  const footer = [DEFAULT_FOOTER];
  // 限时办结: the statutory completion time, printed so the citizen can hold the hall to it.
  if (service && service.completionWorkingDays > 0) footer.push(`承诺办结时限 ${service.completionWorkingDays} 个工作日`);
  footer.push('办事结束后请对我们的服务进行评价');
  return {
    hallName: config.hall.name,
    serviceName: service?.name ?? ticket.serviceName,
    ticketNumber: ticket.number,
    priorityLabel: ticket.priority === 'normal' ? null : PRIORITY_LABELS[ticket.priority].zh,
    waitingAhead: ticket.waitingAhead,
    estimatedWaitMinutes: ticket.estimatedWaitMinutes,
    issuedAt: formatIssuedAt(ticket.issuedAt),
    trackUrl,
    materials: service ? [...service.materials] : [],
    maskedHolderName: ticket.holderName,
    footerLines: footer,
  };
}

/** The slip of the admin console's test-print button: the hall's name, the time and a QR code, marked as a test. */
export function testPrintJob(config: HallConfig, atIso: string): TicketPrintJob {
  return {
    hallName: config.hall.name,
    serviceName: '打印测试 Test print',
    ticketNumber: 'TEST',
    priorityLabel: null,
    waitingAhead: 0,
    estimatedWaitMinutes: null,
    issuedAt: formatIssuedAt(atIso),
    trackUrl: config.hall.publicUrl ?? 'http://hall.invalid/test-print',
    materials: [],
    maskedHolderName: null,
    footerLines: ['打印机测试页，请勿使用 Printer test page'],
  };
}
