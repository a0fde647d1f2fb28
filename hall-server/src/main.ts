/**
 * The one composition root: builds the hall from its data folder and wires the edges to the
 * core. Everything configurable arrives in `HallOptions`; reading the environment is cli.ts's job.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { hallDate, toHallIso, type Alert, type User } from '@hall/protocol';
import { openConfigStore, loadKeyFile, FsyncJsonFile, holdsJournal } from './config';
import { HallCore, type HallCoreOptions, newId } from './app/hall-core';
import { CardTokens } from './app/card-tokens';
import { noPrinters, type ConfigPort } from './app/ports';
import { TerminalLimiter } from './app/terminal-limiter';
import { CommandGateway } from './app/gateway';
import type { IssueDeps } from './app/issue-ticket';
import { SessionStore, newToken, tokenHash, type SessionFile } from './auth/sessions';
import { LoginLockout } from './auth/lockout';
import { HashingGate } from './auth/hashing-gate';
import { hashPassword, randomPassword } from './auth/passwords';
import { createHttpApp } from './http/app';
import { RealtimeServer } from './realtime/socket-server';
import { HallDevices, type DeviceManagerOptions } from './devices';
import { createLogger, type Logger } from './logging';
import { CallAudio, espeakSynthesizer, type Synthesizer } from './voice';
import { StaffPhotoStore } from './staff-photos/photo-store';
import { connectReadModel, startReadModelForHall } from './read-model/start-read-model';
import type { ReadModelPort } from './read-model/read-model-service';
import { startSupervision, type RunningSupervision } from './supervision/start-supervision';
import { startNetwork, type RunningNetwork, type StartNetworkOptions } from './network/start-network';
import { runDoctor } from './ops/doctor';
import { startAppointments, type RunningAppointments } from './appointments/start-appointments';
import { startCatalogue, type RunningCatalogue, type StartCatalogueOptions } from './catalogue/start-catalogue';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const VERSION = '0.1.0';

export interface HallOptions {
  dataDir: string;
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** First-start admin password; random and printed once when absent. */
  adminPassword?: string;
  /** Overrides the hall's configured zone (HALL_TZ). */
  tz?: string;
  /** Base of ticket QR codes (HALL_PUBLIC_URL). */
  publicUrl?: string;
  /** HALL_TLS_CERT / HALL_TLS_KEY, read and checked (ops/tls-files.ts): serve HTTPS instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer; certFile: string; keyFile: string };
  /** HALL_BACKUP_DIR, for the doctor's backup check (`GET /api/doctor`). */
  backupDir?: string;
  clock?: () => number;
  log?: Logger;
  /** Where the built UIs are; default the workspaces' dist folders. */
  uiRoot?: string;
  /** Public endpoint limit per client address per minute. */
  publicRatePerMinute?: number;
  /** Login attempts per client address per minute, whatever the Authorization header. */
  loginRatePerMinute?: number;
  /** Login attempts per username per minute, from any address. */
  loginRatePerUserPerMinute?: number;
  /** How often sockets of expired sessions are disconnected (ms). */
  sessionSweepMs?: number;
  /** Console output for first-start secrets (default: stdout). */
  announce?: (line: string) => void;
  /** Device manager tuning (reconnect backoff, bus timings); tests make it fast. */
  devices?: DeviceManagerOptions;
  /** Call audio: the speech program (default espeak-ng on the PATH) and a recorded pack folder. */
  voice?: { synth?: Synthesizer; packDir?: string };
  /** Journal fault injection and recovery timing (tests). */
  journal?: Pick<HallCoreOptions, 'beforeSync' | 'retryMs'>;
  /** `postgres://…` (HALL_DATABASE_URL): the read model in PostgreSQL instead of data/read-model.sqlite. */
  databaseUrl?: string;
  /** Public bookings per client address per minute (at least 20; default 30). */
  bookingRatePerMinute?: number;
  /** HALL_UPSTREAM_URL + HALL_UPSTREAM_TOKEN: push the journal there (else the hall config's `upstream`). */
  upstream?: { url: string; token: string };
  /** Upstream link tuning (tests, benchmarks): transport, backoff, poll. */
  network?: StartNetworkOptions['pusher'];
  /** Seconds between 电子监察 evaluations (default 15); 0: only after queue events (tests tick by hand). */
  supervisionTickSeconds?: number;
  /** The catalogue's background fetch from the upstream hall (tests make it fast or manual). */
  catalogueSync?: StartCatalogueOptions['sync'];
}

export interface RunningHall {
  url: string;
  port: number;
  config: ConfigPort;
  core: HallCore;
  gateway: CommandGateway;
  /** What issuing uses; `printer` may be swapped (benchmarks). */
  issue: IssueDeps;
  http: HttpServer;
  realtime: RealtimeServer;
  devices: HallDevices;
  voice: CallAudio;
  /** Statistics, cases and alerts (SQL read model on its own thread). */
  readModel: ReadModelPort;
  supervision: RunningSupervision;
  /** The three-level network: downstream halls' records (hub) and the push upstream. */
  network: RunningNetwork;
  /** 预约服务: bookings (data/appointments.sqlite) and check-in. */
  appointments: RunningAppointments;
  /** 统一事项清单: the upstream copy and its fetch, what downstream halls reported. */
  catalogue: RunningCatalogue;
  close(): Promise<void>;
}

/** The first start's admin; the line to show once the server listens. */
async function ensureFirstAdmin(config: ConfigPort, now: string, password: string | undefined): Promise<string | undefined> {
  if (config.data.users.length > 0) return undefined;
  const pw = password ?? randomPassword();
  const admin: User = {
    id: 'usr-admin',
    username: 'admin',
    name: '系统管理员',
    staffNo: 'A000',
    role: 'admin',
    passwordHash: await hashPassword(pw),
    disabled: false,
    createdAt: now,
  };
  const r = await config.update((d) => void d.users.push(admin));
  if (!r.ok) throw new Error(`cannot create the first admin: ${r.error.message}`);
  return password === undefined
    ? `First start: user "admin" created with password ${pw} (shown once; change it in /counter/admin)`
    : 'First start: user "admin" created with the password from HALL_ADMIN_PASSWORD';
}

/** A fresh demo hall gets a kiosk and its devices so `npm start` shows a working hall; its token. */
async function ensureDemoTerminals(config: ConfigPort, now: string): Promise<string | undefined> {
  if (config.data.terminals.length > 0) return undefined;
  const kioskToken = newToken();
  const r = await config.update((d) => {
    d.terminals.push({ id: 'kiosk-demo', kind: 'kiosk', name: '大厅取号机 1', zone: null, tokenHash: tokenHash(kioskToken), createdAt: now, revoked: false });
    // The demo kiosk's simulated printer, ID card reader and scanner, and a hall LED bar
    // (admin: POST /api/devices/:id/simulate).
    const kiosk = { terminalId: 'kiosk-demo' };
    const sim = { type: 'simulated' as const };
    d.devices.push(
      { id: 'dev-kiosk-printer', kind: 'printer', name: '取号机1 打印机', transport: sim, attachedTo: kiosk, address: null, profile: null, options: {} },
      { id: 'dev-kiosk-reader', kind: 'id-reader', name: '取号机1 身份证阅读器', transport: sim, attachedTo: kiosk, address: null, profile: null, options: {} },
      { id: 'dev-kiosk-scanner', kind: 'scanner', name: '取号机1 扫码器', transport: sim, attachedTo: kiosk, address: null, profile: null, options: {} },
      // A led-board attached to no counter is the hall's LED bar (通屏): it scrolls every call.
      { id: 'dev-hall-bar', kind: 'led-board', name: '大厅通屏', transport: sim, attachedTo: null, address: 1, profile: null, options: {} },
    );
  });
  if (!r.ok) throw new Error(`cannot create the demo kiosk: ${r.error.message}`);
  return kioskToken;
}

export async function startHall(opts: HallOptions): Promise<RunningHall> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const log = opts.log ?? createLogger();
  const announce = opts.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clock = opts.clock ?? Date.now;

  const existingHall = await holdsJournal(dataDir);
  const config = await openConfigStore(dataDir, { existingHall });
  const tz = opts.tz ?? config.data.hall.timezone;
  const idKey = await loadKeyFile(dataDir, 'id-hash', { existingHall });
  const sessionFile = new FsyncJsonFile<SessionFile>(join(dataDir, 'sessions.json'));
  const sessions = new SessionStore({
    load: async () => (await sessionFile.read()) ?? { sessions: {} },
    save: (d) => sessionFile.write(d),
  });
  await sessions.load(clock());
  const core = await HallCore.open({ config, journalDir: join(dataDir, 'journal'), tz, clock, log, ...opts.journal });
  // The read model (statistics, cases, alerts) runs on its own thread and catches up from the
  // journal in the background; the core's durable events reach it off the issue path.
  const readModel = await startReadModelForHall({
    dataDir,
    journalDir: join(dataDir, 'journal'),
    databaseUrl: opts.databaseUrl,
    tz,
    config: () => config.data,
    clock: () => core.now(),
    log,
  });
  connectReadModel(core, readModel.port);

  // Before listening: the first request that reaches the server finds the admin and terminals.
  const firstStart = config.data.users.length === 0;
  const createdAt = toHallIso(clock(), tz);
  const adminLine = await ensureFirstAdmin(config, createdAt, opts.adminPassword);
  const kioskToken = firstStart ? await ensureDemoTerminals(config, createdAt) : undefined;

  const http: HttpServer = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }) : createServer();
  let baseUrl = '';
  const publicUrl = (): string => (opts.publicUrl ?? config.data.hall.publicUrl ?? baseUrl).replace(/\/+$/, '');
  const cardTokens = new CardTokens();
  const issue: IssueDeps = {
    core,
    idKey,
    cardTokens,
    printer: noPrinters,
    terminalLimiter: new TerminalLimiter(),
    trackUrl: (ticketId, token) => `${publicUrl()}/ticket/${ticketId}?token=${token}`,
  };
  const gateway = new CommandGateway({ config, sessions, issue });
  const devices = new HallDevices({ config, core, log, idKey, cardTokens, resolve: (token) => gateway.resolve(token) }, opts.devices);
  issue.printer = devices;
  let pushAlert: (alert: Alert) => void = () => undefined;
  const supervision = startSupervision({
    core,
    record: (event) => core.record(event),
    readModel: readModel.port,
    config: () => config.data,
    devices: () => devices.list(),
    clock: () => core.now(),
    tz,
    newId,
    log,
    ready: readModel.caughtUp,
    onAlert: (alert) => pushAlert(alert),
    ...(opts.supervisionTickSeconds !== undefined ? { tickSeconds: opts.supervisionTickSeconds } : {}),
  });
  const network = await startNetwork({
    dataDir,
    journalDir: join(dataDir, 'journal'),
    databaseUrl: opts.databaseUrl,
    clock: () => core.now(),
    tz,
    formatTime: (ms) => toHallIso(ms, tz),
    log,
    newId,
    newToken,
    tokenHash,
    upstream: () => opts.upstream ?? config.data.hall.upstream,
    core,
    record: (event) => core.record(event),
    activeAlerts: () => readModel.port.alerts({ active: true, limit: 5000, hallIds: [config.data.hall.id] }),
    readModel: readModel.port,
    ready: readModel.caughtUp,
    ...(opts.network ? { pusher: opts.network } : {}),
  });
  const catalogue = await startCatalogue({
    dataDir,
    config: () => config.data,
    tz,
    clock: () => core.now(),
    log,
    upstream: () => opts.upstream ?? config.data.hall.upstream,
    // Downstream halls fetch the catalogue with the token the network hub issued them.
    hallTokens: {
      verify: async (token) => {
        const r = await network.hub.authenticate(token);
        return r.ok ? { ok: true, value: { hallId: r.value.id } } : r;
      },
      relayedBy: async (hallId) => (await network.hub.halls()).filter((h) => h.via === hallId).map((h) => h.id),
    },
    ...(opts.catalogueSync ? { sync: opts.catalogueSync } : {}),
  });
  const appointments = startAppointments({ dataDir, config: () => config.data, tz, idKey, issue, cardTokens, newId, core, log });
  const voice = new CallAudio({
    dataDir,
    synth: opts.voice?.synth ?? espeakSynthesizer(),
    packDir: opts.voice?.packDir,
    settings: () => ({ template: config.data.hall.phraseTemplate, voice: config.data.hall.voice }),
    log,
  });
  // In the background (asks espeak-ng its version, reads the pack): never delays the listen.
  void voice.start();
  const uiRoot = opts.uiRoot ?? REPO_ROOT;
  const app = createHttpApp(
    {
      config,
      core,
      sessions,
      gateway,
      devices,
      voice,
      photos: new StaffPhotoStore(join(dataDir, 'staff-photos')),
      lockout: new LoginLockout(),
      // One scrypt at a time leaves libuv's other threads to the journal; a few wait, the rest get 429.
      hashing: new HashingGate(1, 8),
      log,
      version: VERSION,
      publicUrl,
      publicRatePerMinute: opts.publicRatePerMinute ?? 1200,
      loginRatePerMinute: opts.loginRatePerMinute ?? 30,
      loginRatePerUserPerMinute: opts.loginRatePerUserPerMinute ?? 10,
      readModel: readModel.port,
      actions: supervision.actions,
      appointments: appointments.service,
      bookingRatePerMinute: opts.bookingRatePerMinute ?? 30,
      catalogue,
      reportedServices: (hallId: string) => catalogue.directory.halls().get(hallId),
      today: () => hallDate(core.now(), tz),
      tz: () => tz,
      knownHall: (id) => id === config.data.hall.id || network.hub.knows(id),
      network: {
        hub: network.hub,
        figures: network.figures,
        networkAlerts: () => network.alerts.activeByHall(),
        status: () => network.pusher.status(),
        clock: () => core.now(),
        formatTime: (ms) => toHallIso(ms, tz),
        today: () => hallDate(core.now(), tz),
      },
      doctor: async () => {
        const now = core.now();
        const findings = await runDoctor({ dataDir, port: (http.address() as AddressInfo).port, backupDir: opts.backupDir, now, serving: true, tls: opts.tls, publicUrl: opts.publicUrl });
        return { checkedAt: toHallIso(now, tz), findings };
      },
    },
    {
      kiosk: join(uiRoot, 'kiosk-ui/dist'),
      display: join(uiRoot, 'display-ui/dist'),
      counter: join(uiRoot, 'counter-ui/dist'),
    },
  );
  http.on('request', devices.httpHandler(app));
  const realtime = new RealtimeServer({ core, config, gateway, voice, sessionSweepMs: opts.sessionSweepMs ?? 60_000 }, http);
  devices.connectRealtime(realtime);
  pushAlert = (alert) => realtime.alert(alert);

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host ?? '0.0.0.0', () => resolveListen());
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = !opts.host || opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  baseUrl = `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`;

  if (adminLine) announce(adminLine);
  if (kioskToken) {
    announce(`Demo kiosk: ${publicUrl()}/kiosk?token=${kioskToken}  (shown once)`);
    announce(`Hall screen: ${publicUrl()}/display   Counter: ${publicUrl()}/counter`);
  }
  await devices.start();
  log.info({ port, dataDir, tz, day: core.state.day }, 'hall server listening');

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    config,
    core,
    gateway,
    issue,
    http,
    realtime,
    devices,
    voice,
    readModel: readModel.port,
    supervision,
    network,
    catalogue,
    appointments,
    close: () =>
      (closing ??= (async () => {
        supervision.stop();
        catalogue.stop();
        await devices.stop();
        await realtime.close();
        http.closeAllConnections();
        await new Promise<void>((r) => http.close(() => r()));
        await network.close();
        await voice.close();
        await core.close();
        appointments.close();
        await readModel.port.close();
      })()),
  };
}

export { newId };
