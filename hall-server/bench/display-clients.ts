/**
 * Hall screens for the memory benchmark, in their own process (forked with IPC) so that 500
 * socket.io clients parsing every broadcast do not slow down the process that times the HTTP
 * requests. Each client is a separate websocket connection to `/display`.
 *
 * Messages from the parent: { cmd: 'connect', url, count } → { type: 'connected', ms }
 *                           { cmd: 'stats' } → { type: 'stats', deltas: number[], calls: number[],
 *                             arrivals: { [ticketNumber]: epoch ms at which each screen got its call } }
 *                           { cmd: 'close' } → disconnects everything and exits.
 */
import { io, type Socket } from 'socket.io-client';

interface Screen {
  socket: Socket;
  deltas: number;
  calls: number;
}

const screens: Screen[] = [];
/** When each screen received the call of a ticket number, in epoch ms (comparable across processes). */
const arrivals: Record<string, number[]> = {};

function connectScreen(url: string): Promise<Screen> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/display`, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
    const s: Screen = { socket, deltas: 0, calls: 0 };
    const timer = setTimeout(() => reject(new Error('display did not get a snapshot in 20 s')), 20_000);
    socket.once('snapshot', () => {
      clearTimeout(timer);
      resolve(s);
    });
    socket.on('services', () => s.deltas++);
    socket.on('counter', () => s.deltas++);
    socket.on('call', (call: { ticketNumber: string }) => {
      (arrivals[call.ticketNumber] ??= []).push(performance.timeOrigin + performance.now());
      s.deltas++;
      s.calls++;
    });
    socket.on('connect_error', (e) => {
      clearTimeout(timer);
      socket.close();
      reject(e);
    });
  });
}

type Msg = { cmd: 'connect'; url: string; count: number } | { cmd: 'stats' } | { cmd: 'close' };

const send = (m: unknown): void => void process.send?.(m);

process.on('message', (m: Msg) => {
  if (m.cmd === 'connect') {
    void (async () => {
      const t0 = performance.now();
      try {
        for (let i = 0; i < m.count; i += 50) {
          const batch = await Promise.all(Array.from({ length: Math.min(50, m.count - i) }, () => connectScreen(m.url)));
          screens.push(...batch);
        }
        send({ type: 'connected', ms: Math.round(performance.now() - t0), count: screens.length });
      } catch (e) {
        send({ type: 'error', message: (e as Error).message });
      }
    })();
  } else if (m.cmd === 'stats') {
    send({ type: 'stats', deltas: screens.map((s) => s.deltas), calls: screens.map((s) => s.calls), arrivals });
  } else {
    for (const s of screens) s.socket.disconnect();
    setTimeout(() => process.exit(0), 100);
  }
});
process.on('disconnect', () => process.exit(0));
