/**
 * `GET /api/doctor` (admin): the checks of `hall-server doctor` run inside the serving hall, as
 * JSON; `GET /api/doctor/report` (admin): the same as a page the console opens in a new tab.
 * One run at a time: a second request while one runs shares its answer (verifying the journal
 * reads every day file).
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import { requireStaff } from './guards';
import { DOCTOR_PAGE_STYLE, doctorPageHtml, doctorSummary, type DoctorReport } from '../ops/doctor-page';

export interface DoctorRoutePorts {
  doctor: () => Promise<DoctorReport>;
  config: { data: { hall: { name: string } } };
}

const STYLE_HASH = `'sha256-${createHash('sha256').update(DOCTOR_PAGE_STYLE).digest('base64')}'`;

export function doctorRoutes(ports: DoctorRoutePorts): Router {
  const r = Router();
  let running: Promise<DoctorReport> | null = null;
  const run = (): Promise<DoctorReport> =>
    (running ??= ports.doctor().finally(() => {
      running = null;
    }));

  r.get('/doctor', async (req, res) => {
    requireStaff(req, 'admin');
    res.json(doctorSummary(await run()));
  });

  r.get('/doctor/report', async (req, res) => {
    requireStaff(req, 'admin');
    const html = doctorPageHtml(await run(), ports.config.data.hall.name);
    // The API's policy allows nothing; this page needs its own style element, and nothing else.
    res.setHeader('Content-Security-Policy', `default-src 'none'; style-src ${STYLE_HASH}; frame-ancestors 'self'`);
    res.type('html').send(html);
  });
  return r;
}
