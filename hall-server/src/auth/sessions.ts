/**
 * Staff session tokens. The client holds a random token; the server keeps only its sha256, so
 * a copy of the data folder cannot be replayed as a login. Sessions are written durably so
 * tokens survive a restart (API.md), and expire after 12 hours.
 */
import { hash as oneShotHash, randomBytes } from 'node:crypto';

export const SESSION_TTL_MS = 12 * 60 * 60_000;

export interface Session {
  userId: string;
  issuedAt: number;
  expiresAt: number;
}

export interface SessionFile {
  sessions: Record<string, Session>;
}

export interface SessionPersistence {
  load(): Promise<SessionFile>;
  save(data: SessionFile): Promise<void>;
}

/** One-shot SHA-256: every API request hashes its bearer token once. */
export const tokenHash = (token: string): string => oneShotHash('sha256', token, 'hex');
export const newToken = (): string => randomBytes(32).toString('base64url');

export class SessionStore {
  private data: SessionFile = { sessions: {} };
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly persistence: SessionPersistence,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  async load(now: number): Promise<void> {
    this.data = await this.persistence.load();
    this.data.sessions ??= {};
    this.dropExpired(now);
  }

  /** Creates a session; resolves once it is on disk. */
  async create(userId: string, now: number): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const session = { userId, issuedAt: now, expiresAt: now + this.ttlMs };
    this.dropExpired(now);
    this.data.sessions[tokenHash(token)] = session;
    await this.persist();
    return { token, session };
  }

  /** By `tokenHash(token)`: the caller also looks the hash up among terminals. */
  lookupHash(hash: string, now: number): Session | undefined {
    const s = Object.hasOwn(this.data.sessions, hash) ? this.data.sessions[hash] : undefined;
    return s && s.expiresAt > now ? s : undefined;
  }

  async revoke(token: string): Promise<void> {
    delete this.data.sessions[tokenHash(token)];
    await this.persist();
  }

  /** Ends every session of the user, but the one of `exceptToken` (a user changing their own password stays signed in there). */
  async revokeUser(userId: string, exceptToken?: string): Promise<void> {
    const keep = exceptToken === undefined ? undefined : tokenHash(exceptToken);
    for (const [k, s] of Object.entries(this.data.sessions)) if (s.userId === userId && k !== keep) delete this.data.sessions[k];
    await this.persist();
  }

  private dropExpired(now: number): void {
    for (const [k, s] of Object.entries(this.data.sessions)) if (s.expiresAt <= now) delete this.data.sessions[k];
  }

  /** Writes are chained so the file always ends with the latest state. */
  private persist(): Promise<void> {
    const snapshot = structuredClone(this.data);
    this.writing = this.writing.catch(() => undefined).then(() => this.persistence.save(snapshot));
    return this.writing;
  }
}
