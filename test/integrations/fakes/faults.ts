/**
 * Fault injection shared by the fake servers: a queue of faults for the next requests, an outage that
 * hits every request while it lasts, and seeded chaos for the crash test.
 *
 *   'error'       the service fails: HTTP 500 (SMTP: 451)
 *   'rate-limit'  429 with a retry time (Slack Retry-After, monday.com retry_in_seconds, SMTP 421)
 *   'slow'        answers after `ms`
 *   'drop'        closes the connection without answering, before doing anything
 *   'drop-after'  does the work (stores the message), then closes the connection without answering
 */
export type Fault =
  | { kind: 'error' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop' }
  | { kind: 'drop-after' };

export interface Chaos {
  random: () => number;
  error?: number;
  rateLimit?: number;
  drop?: number;
  dropAfter?: number;
  /** Each request is slowed by a uniform delay in [min, max] ms. */
  slowMs?: [number, number];
}

export class Faults {
  private readonly queue: Fault[] = [];
  outage: Fault | undefined;
  chaos: Chaos | undefined;
  /** Every fault served, in order (for assertions). */
  readonly served: Fault[] = [];

  /** The next `n` requests get this fault. */
  next(fault: Fault, n = 1): void {
    for (let i = 0; i < n; i++) this.queue.push(fault);
  }

  /** The fault for the request arriving now, if any; slowness from chaos comes back as `delayMs`. */
  take(): { fault: Fault | undefined; delayMs: number } {
    let fault = this.queue.shift() ?? this.outage;
    let delayMs = 0;
    const c = this.chaos;
    if (!fault && c) {
      const r = c.random();
      let edge = 0;
      for (const [p, f] of [
        [c.error, { kind: 'error' }],
        [c.rateLimit, { kind: 'rate-limit', retryAfterSeconds: 1 }],
        [c.drop, { kind: 'drop' }],
        [c.dropAfter, { kind: 'drop-after' }],
      ] as [number | undefined, Fault][]) {
        edge += p ?? 0;
        if (r < edge) {
          fault = f;
          break;
        }
      }
      if (c.slowMs) delayMs = c.slowMs[0] + Math.floor(c.random() * (c.slowMs[1] - c.slowMs[0] + 1));
    }
    if (fault?.kind === 'slow') delayMs += fault.ms;
    if (fault) this.served.push(fault);
    return { fault: fault?.kind === 'slow' ? undefined : fault, delayMs };
  }
}

/** A small deterministic PRNG (mulberry32), so a failing chaos run can be repeated from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
