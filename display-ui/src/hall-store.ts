/** The hall screen's state: the snapshot kept current by /display events, and the voice. */
import { batch, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import { NAMESPACES, type DisplayClientEvents, type DisplayServerEvents, type DisplayVoice, type QueueSnapshot, type RecentCall } from '@hall/protocol';
import { apiRequest } from '@hall/protocol';
import { createAudioPlayer, createCallSpeaker } from './audio-speaker';
import { createBrowserSpeaker, type VoiceStatus } from './browser-speaker';
import { decideSpeech, inQuietHours } from './call-voice';
import { clockSkewMs, hallClock, offsetMinutesOf } from './clock';
import { applyCall, applyCounter, applyServices, applyWaitingNumbers, normalizeSnapshot } from './hall-state';
import { SpeechQueue } from './speech-queue';

const MUTED_KEY = 'hall.display.muted';
/** How long a new call stays highlighted (ms). */
export const HIGHLIGHT_MS = 12_000;
/** The "next" lists come only with a snapshot: refresh them at most this often after changes. */
const WAITING_REFRESH_MS = 5_000;

export type Connection = 'connecting' | 'online' | 'offline' | 'unauthorized';

export function createHallStore(token: string | null) {
  const connection = signal<Connection>('connecting');
  const snapshot = signal<QueueSnapshot | null>(null);
  const highlight = signal<{ call: RecentCall; until: number } | null>(null);
  const muted = signal(localStorage.getItem(MUTED_KEY) === '1');
  const voice = signal<VoiceStatus>('no-voice');
  const speaking = signal<string | null>(null);
  /** Hall time minus PC time, and the hall's UTC offset, from the server's time stamps. */
  const skewMs = signal(0);
  const offsetMinutes = signal<number>(-new Date().getTimezoneOffset());

  /** The hall's voice settings and this screen's zone (the `voice` event). */
  const hallVoice = signal<DisplayVoice | null>(null);
  /** The browser refused to play audio before a click (autoplay policy). */
  const audioBlocked = signal(false);

  const browserSpeaker = createBrowserSpeaker((s) => (voice.value = s));
  const audio = createAudioPlayer((b) => (audioBlocked.value = b));
  const speech = new SpeechQueue(createCallSpeaker(browserSpeaker, audio), { onChange: () => (speaking.value = speech.state().speaking) });
  speech.setMuted(muted.value);

  const hallTime = (): string => hallClock(Date.now() + skewMs.value, offsetMinutes.value).time.slice(0, 5);
  function say(call: RecentCall): void {
    const d = decideSpeech(call, {
      voice: hallVoice.value,
      browserVoice: voice.value,
      screenMuted: muted.value,
      counters: snapshot.value?.counters ?? [],
      hallTime: hallTime(),
    });
    if (d.say) speech.enqueue(d.utterance);
  }

  const socket: Socket<DisplayServerEvents, DisplayClientEvents> = io(NAMESPACES.display, {
    auth: token ? { token } : {},
    reconnectionDelayMax: 5000,
  });

  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let lastRefresh = 0;
  function scheduleWaitingRefresh(): void {
    if (refreshTimer) return;
    const wait = Math.max(500, lastRefresh + WAITING_REFRESH_MS - Date.now());
    refreshTimer = setTimeout(async () => {
      refreshTimer = undefined;
      lastRefresh = Date.now();
      try {
        const fresh = await apiRequest<QueueSnapshot>('GET', '/api/queue');
        if (snapshot.value && fresh?.waitingNumbers) snapshot.value = applyWaitingNumbers(snapshot.value, fresh);
      } catch {
        // The next change or snapshot brings them.
      }
    }, wait);
  }

  socket.on('connect', () => (connection.value = 'online'));
  socket.on('disconnect', () => (connection.value = 'offline'));
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    const code = err.data?.code ?? err.message;
    if (/^AUTH\./.test(code)) {
      connection.value = 'unauthorized';
      setTimeout(() => socket.connect(), 30_000);
    } else connection.value = 'offline';
  });
  socket.on('snapshot', (snap) =>
    batch(() => {
      snapshot.value = normalizeSnapshot(snap);
      skewMs.value = clockSkewMs(snap.at, Date.now());
      const off = offsetMinutesOf(snap.at);
      if (off !== null) offsetMinutes.value = off;
    }),
  );
  socket.on('services', (services) => {
    if (snapshot.value) snapshot.value = applyServices(snapshot.value, services);
    scheduleWaitingRefresh();
  });
  socket.on('counter', (counter) => {
    if (snapshot.value) snapshot.value = applyCounter(snapshot.value, counter);
  });
  socket.on('call', (call) => {
    if (snapshot.value) snapshot.value = applyCall(snapshot.value, call);
    highlight.value = { call, until: Date.now() + HIGHLIGHT_MS };
    say(call);
  });
  socket.on('voice', (v) => {
    hallVoice.value = v;
    // Muted from the admin console or quiet hours begun: what waits is dropped, what plays stops.
    if (v.muted || inQuietHours(hallTime(), v.quietHours)) speech.clear();
  });

  return {
    connection,
    snapshot,
    highlight,
    muted,
    voice,
    speaking,
    skewMs,
    offsetMinutes,
    hallVoice,
    audioBlocked,
    toggleMuted(): void {
      muted.value = !muted.value;
      localStorage.setItem(MUTED_KEY, muted.value ? '1' : '0');
      speech.setMuted(muted.value);
    },
    /** Speak a test phrase (also gives the page the user gesture browsers want before speech). */
    testVoice(): void {
      audioBlocked.value = false;
      const last = snapshot.value?.recentCalls[0];
      speech.enqueue(last ? { text: last.phrase, audioUrl: last.audioUrl, repeat: last.audioUrl ? 1 : undefined } : '语音测试，请A001号到1号窗口办理');
    },
    close(): void {
      clearTimeout(refreshTimer);
      speech.clear();
      socket.close();
    },
  };
}

export type HallStore = ReturnType<typeof createHallStore>;
export const HallContext = createContext<HallStore | null>(null);
export function useHall(): HallStore {
  const s = useContext(HallContext);
  if (!s) throw new Error('HallContext missing');
  return s;
}
