import { describe, expect, it } from 'vitest';
import { SpeechQueue, type Speaker, type Utterance } from './speech-queue';

/** A speaker whose phrases end when the test says so. */
class FakeSpeaker implements Speaker {
  said: string[] = [];
  cancels = 0;
  private finish: (() => void) | null = null;
  speak(u: Utterance): Promise<void> {
    this.said.push(u.audioUrl ?? u.text);
    return new Promise((r) => (this.finish = r));
  }
  cancel(): void {
    this.cancels++;
    this.end();
  }
  end(): void {
    const f = this.finish;
    this.finish = null;
    f?.();
  }
  get busy(): boolean {
    return this.finish !== null;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const noSleep = () => Promise.resolve();

async function drain(s: FakeSpeaker, max = 50): Promise<void> {
  for (let i = 0; i < max; i++) {
    await tick();
    if (!s.busy) return;
    s.end();
  }
}

describe('SpeechQueue', () => {
  it('says each phrase twice, one call after the other', async () => {
    const s = new FakeSpeaker();
    const q = new SpeechQueue(s, { sleep: noSleep });
    q.enqueue('请A001号到1号窗口办理');
    q.enqueue('请B002号到2号窗口办理');
    await tick();
    // The second call waits while the first is spoken.
    expect(s.said).toEqual(['请A001号到1号窗口办理']);
    await drain(s);
    await drain(s);
    expect(s.said).toEqual(['请A001号到1号窗口办理', '请A001号到1号窗口办理', '请B002号到2号窗口办理', '请B002号到2号窗口办理']);
    expect(q.state()).toEqual({ speaking: null, pending: [] });
  });

  it('does not queue a phrase that is already waiting', async () => {
    const s = new FakeSpeaker();
    const q = new SpeechQueue(s, { sleep: noSleep, repeat: 1 });
    q.enqueue('one');
    q.enqueue('two');
    q.enqueue('two');
    expect(q.state().pending).toEqual(['two']);
    await drain(s);
    expect(s.said).toEqual(['one', 'two']);
  });

  it('drops the oldest waiting phrases past the limit', async () => {
    const s = new FakeSpeaker();
    const q = new SpeechQueue(s, { sleep: noSleep, repeat: 1, maxPending: 2 });
    for (const p of ['p1', 'p2', 'p3', 'p4']) q.enqueue(p);
    await drain(s);
    expect(s.said).toEqual(['p1', 'p3', 'p4']);
  });

  it('stops and forgets everything when muted, and says nothing while muted', async () => {
    const s = new FakeSpeaker();
    const q = new SpeechQueue(s, { sleep: noSleep });
    q.enqueue('p1');
    q.enqueue('p2');
    await tick();
    q.setMuted(true);
    expect(s.cancels).toBe(1);
    q.enqueue('p3');
    await drain(s);
    expect(s.said).toEqual(['p1']);
    q.setMuted(false);
    q.enqueue('p4');
    await drain(s);
    expect(s.said).toEqual(['p1', 'p4', 'p4']);
  });

  it('waits the gap between sayings', async () => {
    const s = new FakeSpeaker();
    const gaps: number[] = [];
    const q = new SpeechQueue(s, { gapMs: 500, sleep: async (ms) => void gaps.push(ms) });
    q.enqueue('x');
    await drain(s);
    expect(gaps).toEqual([500, 500]);
  });

  it('server audio and browser speech share one queue: in call order, one at a time, audio once', async () => {
    const s = new FakeSpeaker();
    const q = new SpeechQueue(s, { sleep: noSleep, repeat: 2 });
    q.enqueue({ text: 'A001', audioUrl: '/a1.wav', repeat: 1 });
    q.enqueue('B002');
    // A recall while it is being said is said again after; twice waiting is once.
    q.enqueue({ text: 'A001 recalled', audioUrl: '/a1.wav', repeat: 1 });
    q.enqueue({ text: 'A001 recalled', audioUrl: '/a1.wav', repeat: 1 });
    await tick();
    expect(s.said).toEqual(['/a1.wav']);
    await drain(s);
    expect(s.said).toEqual(['/a1.wav', 'B002', 'B002', '/a1.wav']);
  });
});
