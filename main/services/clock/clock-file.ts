import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensurePrivateDir } from '../core/paths.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { checkedBefore, markChecked } from '../store/checked-file.js';
import type { ClockFileData, ClockRecord } from './clock-schema.js';
import { skewWarning, type ClockSample, type ServerClock } from './server-clock.js';

export type { ClockRecord } from './clock-schema.js';

export const CLOCK_FILE_NAME = 'clock.json';

/** Write again when an origin's offset moved this much, or its record is this old. */
const CHANGED_MS = 2_000;
const STALE_MS = 10 * 60_000;
const MAX_ORIGINS = 20;

/**
 * The last clock measurement per server, kept in the data dir so that an offline `whoami` can
 * still say the clock is off. Written atomically (the store's writer, 0600); a file that does not parse
 * is treated as empty, since it only holds measurements that the next answer repeats.
 */
export class ClockFile {
  readonly path: string;
  #records: ClockRecord[] | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, CLOCK_FILE_NAME);
  }

  /** Every record, most recent first; empty when nothing was measured yet. */
  async read(): Promise<ClockRecord[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return [];
    }
    let parsed: ClockFileData | undefined;
    try {
      const raw: unknown = JSON.parse(text);
      // Text this file's writer checked before needs no schema (store/checked-file.ts).
      parsed = (await checkedBefore(this.path, text))
        ? (raw as ClockFileData)
        : (await import('./clock-schema.js')).ClockFileData.safeParse(raw).data;
    } catch {
      parsed = undefined;
    }
    return (parsed?.samples ?? []).sort((a, b) => Date.parse(b.measuredAt) - Date.parse(a.measuredAt));
  }

  /** Persists the clock's measurements as they come (only those that changed or went stale). */
  follow(clock: ServerClock): () => void {
    return clock.onSample((sample) => {
      this.#queue = this.#queue.then(() => this.#save(sample)).catch(() => undefined);
    });
  }

  /** Waits until every pending write has finished. */
  flush(): Promise<void> {
    return this.#queue;
  }

  async #save(sample: ClockSample): Promise<void> {
    // Most recent first; the sort in read() is stable, so ties keep this order.
    this.#records ??= await this.read();
    const held = this.#records.find((r) => r.origin === sample.origin);
    if (
      held &&
      Math.abs(held.offsetMs - sample.offsetMs) < CHANGED_MS &&
      sample.measuredAt - Date.parse(held.measuredAt) < STALE_MS
    ) {
      return;
    }
    const record: ClockRecord = {
      origin: sample.origin,
      offsetMs: sample.offsetMs,
      measuredAt: new Date(sample.measuredAt).toISOString(),
    };
    const records = [record, ...this.#records.filter((r) => r.origin !== sample.origin)].slice(0, MAX_ORIGINS);
    // Checked as a reader would check it, so that readers can skip the check (an origin too long to keep is dropped).
    const checked = (await import('./clock-schema.js')).ClockFileData.safeParse({ version: 1, samples: records });
    if (!checked.success) return;
    this.#records = records;
    await ensurePrivateDir(dirname(this.path));
    const text = `${JSON.stringify(checked.data, null, 2)}\n`;
    await writeFileAtomic(this.path, text);
    await markChecked(this.path, text);
  }
}

/** The words `whoami` shows when the last measurement found the clock off by more than 60 s. */
export function clockNotice(records: readonly ClockRecord[]): string | undefined {
  const latest = records[0];
  if (!latest) return undefined;
  const warning = skewWarning(latest);
  return warning ? `${warning} (measured ${latest.measuredAt})` : undefined;
}

/** The `clock` entry of `whoami --json`: the latest measurement, or null. */
export function clockJson(records: readonly ClockRecord[]) {
  const latest = records[0];
  if (!latest) return null;
  return {
    offsetSeconds: Math.round(latest.offsetMs / 1000),
    server: latest.origin,
    measuredAt: latest.measuredAt,
    skewed: skewWarning(latest) !== undefined,
  };
}
