/** Call audio end to end: a call on /display carries audioUrl, and its GET answers audio/wav (or a clear 503). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { CounterView, DisplayVoice, IssueTicketResponse, QueueSnapshot, RecentCall } from '@hall/protocol';
import { espeakInstalled, espeakSynthesizer } from '../src/voice';
import { parseWav, durationMs } from '../src/voice/wav';
import { connectSocket, createStaff, nextEvent, startTestHall, type TestHall } from './harness';

const hasEspeak = espeakInstalled();
if (!hasEspeak) console.warn('voice.test: the espeak-ng case is skipped: espeak-ng is not installed (apt-get install espeak-ng)');

let t: TestHall | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await t?.close();
  t = undefined;
});

/** Issues a ticket and calls it at a counter serving it; the display's call event. */
async function callOne(hall: TestHall): Promise<{ call: RecentCall; voice: DisplayVoice }> {
  const display = connectSocket(hall.url, '/display', {});
  sockets.push(display);
  const voice = nextEvent<DisplayVoice>(display, 'voice');
  const snap = await nextEvent<QueueSnapshot>(display, 'snapshot');
  const counter = snap.counters.find((c) => c.serviceIds.length > 0) as CounterView;
  const kiosk = await hall.kioskToken();
  const clerk = await createStaff(hall, 'voice-clerk', 'clerk');
  const issued = await hall.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: counter.serviceIds[0] }, kiosk);
  expect(issued.status).toBe(201);
  await hall.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token);
  const call = nextEvent<RecentCall>(display, 'call');
  await hall.api('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk.token);
  return { call: await call, voice: await voice };
}

describe('call audio over HTTP', () => {
  it.skipIf(!hasEspeak)('every call carries audioUrl; its GET is a WAV of the call', async () => {
    t = await startTestHall();
    await t.hall.voice.start();
    const { call, voice } = await callOne(t);
    expect(voice).toMatchObject({ playback: 'auto', muted: false, repeat: 2, zone: null, serverAudio: true });
    expect(call.audioUrl).toMatch(/^\/api\/voice\/calls\/[0-9a-f]{24}\.wav$/);
    const res = await fetch(`${t.url}${call.audioUrl}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^audio\/wav/);
    const pcm = parseWav(new Uint8Array(await res.arrayBuffer()));
    expect(durationMs(pcm)).toBeGreaterThan(1500);
    // A recall is spoken again: the same phrase, the same URL.
    expect((await fetch(`${t.url}/api/voice/calls/${'f'.repeat(24)}.wav`)).status).toBe(404);
  });

  it('without espeak-ng the hall still calls; the audio answers 503 VOICE.UNAVAILABLE', async () => {
    t = await startTestHall({ voice: { synth: espeakSynthesizer({ command: '/nonexistent/espeak-ng' }) } });
    await t.hall.voice.start();
    const { call, voice } = await callOne(t);
    expect(voice.serverAudio).toBe(false);
    expect(call.audioUrl).toBeTruthy();
    const res = await t.api<{ error: { code: string } }>('GET', call.audioUrl as string);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('VOICE.UNAVAILABLE');
  });

  it('voice settings are hall settings: PATCH /api/hall merges them, screens get them at once', async () => {
    t = await startTestHall();
    const admin = await t.login();
    const display = connectSocket(t.url, '/display', {});
    sockets.push(display);
    await nextEvent<DisplayVoice>(display, 'voice');
    const changed = nextEvent<DisplayVoice>(display, 'voice', (v) => v.muted);
    const r = await t.api<{ voice: { muted: boolean; repeat: number; numberReading: string } }>('PATCH', '/api/hall', { voice: { muted: true, quietHours: [{ start: '12:00', end: '14:00' }] } }, admin);
    expect(r.status).toBe(200);
    expect(r.body.voice).toMatchObject({ muted: true, repeat: 2, numberReading: 'digits' });
    expect(await changed).toMatchObject({ muted: true, quietHours: [{ start: '12:00', end: '14:00' }] });
    const bad = await t.api('PATCH', '/api/hall', { voice: { repeat: 9 } }, admin);
    expect(bad.status).toBe(400);
  });
});
