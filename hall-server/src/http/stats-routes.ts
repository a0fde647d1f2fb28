/**
 * `GET /api/stats/summary`, `/api/stats/export?format=csv|xlsx` and `/api/stats/report` (the
 * printable page). Supervisors and admins read every figure; a clerk reads only their own
 * (the answer is narrowed to their rows). `hallId=` narrows to one hall (a county hub).
 */
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { hallError } from '@hall/protocol';
import type { ReadModelPort } from '../read-model/read-model-service';
import { HttpError } from './http-error';
import { requireStaff } from './guards';
import { parseDateRange } from '../stats/date-range';
import type { SummaryQuery } from '../stats/summary';
import { DAY_REPORT_STYLE } from '../stats/day-report';
import { labelReportedServices } from '../catalogue/catalogue-comparison';
import type { ReportedService } from '../catalogue/hall-service-directory';

export interface StatsPorts {
  readModel: Pick<ReadModelPort, 'summary' | 'exportFile' | 'report'>;
  /** The hall's date now (`YYYY-MM-DD`), from the injected clock. */
  today: () => string;
  /** What a downstream hall reported of its services (names, catalogue codes); undefined for this hall. */
  reportedServices?: (hallId: string) => readonly ReportedService[] | undefined;
}

const STYLE_HASH = `'sha256-${createHash('sha256').update(DAY_REPORT_STYLE).digest('base64')}'`;

/** The query of a statistics request, or a 400 with a code. */
function summaryQuery(req: Request, today: string): SummaryQuery {
  const staff = requireStaff(req, 'clerk');
  const range = parseDateRange(req.query.from, req.query.to, today);
  if (!range.ok) throw new HttpError(range.error);
  const hallId = req.query.hallId;
  if (hallId !== undefined && (typeof hallId !== 'string' || hallId.length === 0 || hallId.length > 64)) {
    throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'hallId: one hall id'));
  }
  return {
    ...range.value,
    ...(typeof hallId === 'string' ? { hallIds: [hallId] } : {}),
    ...(staff.user.role === 'clerk' ? { clerkId: staff.user.id } : {}),
  };
}

export function statsRoutes(ports: StatsPorts): Router {
  const r = Router();

  r.get('/stats/summary', async (req, res) => {
    const q = summaryQuery(req, ports.today());
    const s = await ports.readModel.summary(q);
    const one = q.hallIds?.length === 1 ? q.hallIds[0] : undefined;
    res.json(one === undefined ? s : labelReportedServices(s, ports.reportedServices?.(one)));
  });

  r.get('/stats/export', async (req, res) => {
    const q = summaryQuery(req, ports.today());
    const format = req.query.format ?? 'xlsx';
    if (format !== 'csv' && format !== 'xlsx') throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'format: csv or xlsx'));
    const file = await ports.readModel.exportFile(q, format);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.send(file.body);
  });

  r.get('/stats/report', async (req, res) => {
    const html = await ports.readModel.report(summaryQuery(req, ports.today()));
    // The API's policy allows nothing; this page needs its own style element, and nothing else.
    res.setHeader('Content-Security-Policy', `default-src 'none'; style-src ${STYLE_HASH}; frame-ancestors 'self'`);
    res.type('html').send(html);
  });

  return r;
}
