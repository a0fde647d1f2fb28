/**
 * Per-terminal ticket limit (hall.terminalTicketsPerMinute): a stuck key or a prank at a kiosk
 * cannot drain a service's quota. Staff are not limited.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export class TerminalLimiter {
  private limiter: RateLimiterMemory | undefined;
  private limit = 0;

  /** Seconds to wait, or 0 when the ticket may be issued. */
  async consume(terminalId: string, perMinute: number): Promise<number> {
    if (perMinute !== this.limit || !this.limiter) {
      this.limit = perMinute;
      this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
    }
    try {
      await this.limiter.consume(terminalId);
      return 0;
    } catch (e) {
      if (e instanceof RateLimiterRes) return Math.ceil(e.msBeforeNext / 1000);
      throw e;
    }
  }
}
