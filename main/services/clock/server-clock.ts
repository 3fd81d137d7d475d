/** One measurement of how far the local clock is from a server's. */
export interface ClockSample {
  /** `https://host[:port]` of the server that answered. */
  origin: string;
  /** Server time minus local time, in ms: positive when this computer is behind. */
  offsetMs: number;
  /** Local time of the measurement (ms since epoch). */
  measuredAt: number;
}

/** Above this, people are told their clock is off (OSS itself refuses at 15 minutes). */
const SKEW_NOTICE_MS = 60_000;

/** Samples kept per server; the median of them is the offset (a Date header has 1 s resolution). */
const WINDOW = 5;

export interface ServerClockOptions {
  /** The local clock; tests move it. Default Date.now. */
  localNow?: () => number;
}

/**
 * Server time, learned from the `Date` header of every answer (hook `observe` into createFetch).
 * Kept per origin, since the exchange's expiry is in the site's time and an OSS signature must be
 * in OSS's; an origin not heard from yet uses the latest measurement from any server.
 */
export class ServerClock {
  readonly #localNow: () => number;
  readonly #byOrigin = new Map<string, number[]>();
  readonly #listeners = new Set<(sample: ClockSample) => void>();
  #latest: ClockSample | undefined;

  constructor(options: ServerClockOptions = {}) {
    this.#localNow = options.localNow ?? Date.now;
  }

  /** For createFetch({ observe }): reads the Date header of a response. */
  readonly observe = (response: Response, url: URL): void => {
    const header = response.headers.get('date');
    if (header) this.record(url.origin, Date.parse(header));
  };

  /** Records that `origin` said it was `serverMs` just now. Unparseable dates are ignored. */
  record(origin: string, serverMs: number, localMs = this.#localNow()): void {
    if (!Number.isFinite(serverMs)) return;
    // A Date header drops the milliseconds: the server's time was somewhere in the next second.
    const sample = serverMs + 500 - localMs;
    const window = this.#byOrigin.get(origin) ?? [];
    window.push(sample);
    if (window.length > WINDOW) window.shift();
    this.#byOrigin.set(origin, window);
    const measured: ClockSample = { origin, offsetMs: median(window), measuredAt: localMs };
    this.#latest = measured;
    for (const listener of this.#listeners) listener(measured);
  }

  /** Server time minus local time for `origin` (or the latest of any server); 0 before any answer. */
  offsetMs(origin?: string): number {
    const window = origin === undefined ? undefined : this.#byOrigin.get(origin);
    if (window && window.length > 0) return median(window);
    return this.#latest?.offsetMs ?? 0;
  }

  /** The current time as `origin` (or the last server heard from) sees it, ms since epoch. */
  now(origin?: string): number {
    return this.#localNow() + this.offsetMs(origin);
  }

  /** The latest measurement, if any server answered yet. */
  latest(): ClockSample | undefined {
    return this.#latest;
  }

  /** Called after each measurement; returns the unsubscribe. */
  onSample(listener: (sample: ClockSample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const value = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(value);
}

/** "about 3 minutes behind", "about 45 seconds ahead of". */
export function describeOffset(offsetMs: number): string {
  const abs = Math.abs(offsetMs);
  const amount =
    abs < 90_000
      ? `${Math.round(abs / 1000)} seconds`
      : abs < 5_400_000
        ? `${Math.round(abs / 60_000)} minutes`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)} hours`
          : `${Math.round(abs / 86_400_000)} days`;
  return offsetMs > 0 ? `about ${amount} behind` : `about ${amount} ahead of`;
}

/** Words for a person when a measured offset is large enough to matter, else undefined. */
export function skewWarning(sample: Pick<ClockSample, 'origin' | 'offsetMs'>): string | undefined {
  if (Math.abs(sample.offsetMs) <= SKEW_NOTICE_MS) return undefined;
  const host = safeHost(sample.origin);
  return (
    `This computer's clock is ${describeOffset(sample.offsetMs)} the time of ${host}. ` +
    'This app corrects for it, but other tools may fail (OSS refuses requests more than 15 minutes off): ' +
    'turn on automatic date and time.'
  );
}

function safeHost(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
