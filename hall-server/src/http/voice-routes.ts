/** Call audio: `GET /api/voice/calls/:key.wav`, the `audioUrl` of every `call` event. Public, like the hall screen. */
import { Router } from 'express';
import type { HallError } from '@hall/protocol';
import { HttpError, httpError } from './http-error';

/** The narrow port of the voice engine (hall-server/src/voice/call-audio.ts). */
export interface VoiceAudioPort {
  audio(key: string): Promise<{ ok: true; wav: Buffer } | { ok: false; error: HallError }>;
}

export interface VoiceRoutePorts {
  voice?: VoiceAudioPort;
}

export function voiceRoutes(ports: VoiceRoutePorts): Router {
  const r = Router();
  r.get('/voice/calls/:file', async (req, res) => {
    const m = /^([0-9a-f]{24})\.wav$/.exec(String(req.params.file));
    if (!m?.[1]) throw httpError('VOICE.NOT_FOUND', 'no such call audio');
    if (!ports.voice) throw httpError('VOICE.UNAVAILABLE', 'call audio is not enabled on this hall server');
    const out = await ports.voice.audio(m[1]);
    if (!out.ok) throw new HttpError(out.error);
    // The key names the exact sound (pack, phrase, chime, repeat): it never changes.
    res.setHeader('Cache-Control', 'public, max-age=86400, immutable');
    res.type('audio/wav').send(out.wav);
  });
  return r;
}
