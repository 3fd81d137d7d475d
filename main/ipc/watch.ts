/*
 * Live updates for the window: what another process (the CLI, `serve`) changes in the data folder
 * reaches the window within a second, instead of when the window next gains focus. A watcher on
 * the data folder and its broker/ folder, debounced, then the profiles re-read under their lock
 * and announced as 'profiles-changed' when they differ from what the window was last told, and
 * a change of the broker's audit log announced as 'audit-changed'.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { auditFile, brokerDir, endpointFile, settingsFile } from '../services/broker/paths.js';
import { lockFilePath, profilesFilePath } from '../services/core/paths.js';
import type { ProfilesFile } from '../services/profiles/schema.js';
import { withLock } from '../services/store/file-lock.js';
import type { ProfileStore } from '../services/store/profile-store.js';
import type { EventHub } from './events.js';
import { toSnapshot } from './views.js';

/** What changed: the profiles file, the broker's endpoint or settings, the audit log. */
export type DataChange = 'profiles' | 'broker' | 'audit';

/** A burst of writes (a temp file, a rename, a backup) is reported once, this long after the last. */
const DEFAULT_DEBOUNCE_MS = 150;

export interface DataDirWatcherOptions {
  dataDir: string;
  debounceMs?: number;
  onChange: (changes: ReadonlySet<DataChange>) => void;
}

/**
 * fs.watch on the data folder and, while it exists, its broker/ folder (made by the first broker
 * that starts, and possibly removed and made again later). Unreferenced: it never keeps a process
 * alive. A folder that cannot be watched (missing, or a platform without the facility) is skipped
 * quietly: the window still reads everything again when it gains focus.
 */
export class DataDirWatcher {
  readonly #options: DataDirWatcherOptions;
  readonly #names: ReadonlyMap<string, DataChange>;
  readonly #brokerNames: ReadonlyMap<string, DataChange>;
  #data: FSWatcher | undefined;
  #broker: FSWatcher | undefined;
  #pending = new Set<DataChange>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: DataDirWatcherOptions) {
    this.#options = options;
    const { dataDir } = options;
    this.#names = new Map([[basename(profilesFilePath(dataDir)), 'profiles']]);
    const audit = basename(auditFile(dataDir));
    this.#brokerNames = new Map<string, DataChange>([
      [basename(endpointFile(dataDir)), 'broker'],
      [basename(settingsFile(dataDir)), 'broker'],
      [audit, 'audit'],
      // The rotated log (audit.1.jsonl): a rotation is a change of the log too.
      [audit.replace(/\.jsonl$/, '.1.jsonl'), 'audit'],
    ]);
  }

  start(): this {
    this.#data = this.#watch(this.#options.dataDir, (name) => {
      if (name === null) return this.#note('profiles', 'broker', 'audit');
      if (name === basename(brokerDir(this.#options.dataDir))) {
        // The broker folder appeared (or went): watch the new one.
        this.#watchBroker();
        return this.#note('broker', 'audit');
      }
      const change = this.#names.get(name);
      if (change) this.#note(change);
    });
    this.#watchBroker();
    return this;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#data?.close();
    this.#broker?.close();
    this.#data = this.#broker = undefined;
  }

  #watchBroker(): void {
    this.#broker?.close();
    this.#broker = this.#watch(brokerDir(this.#options.dataDir), (name) => {
      const change = name === null ? 'broker' : this.#brokerNames.get(name);
      if (change) this.#note(change);
    });
  }

  #watch(dir: string, onName: (name: string | null) => void): FSWatcher | undefined {
    if (this.#closed) return undefined;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => onName(name === null ? null : String(name)));
      // A watched folder removed, or the watch limit reached: stop quietly (see the class comment).
      watcher.on('error', () => watcher.close());
      return watcher;
    } catch {
      return undefined;
    }
  }

  #note(...changes: DataChange[]): void {
    if (this.#closed) return;
    for (const change of changes) this.#pending.add(change);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const batch = this.#pending;
      this.#pending = new Set();
      this.#options.onChange(batch);
    }, this.#options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    this.#timer.unref();
  }
}

export interface LiveUpdatesOptions {
  dataDir: string;
  store: ProfileStore;
  events: EventHub;
  /** Server time minus local time, for the snapshot (as the handlers report it). */
  clockOffsetMs: () => number;
  /** The broker's endpoint or settings changed: look at the broker again (attach, or take over). */
  onBroker?: () => void;
  debounceMs?: number;
}

/**
 * Announces to the window what changed on disk: 'profiles-changed' with a snapshot read under
 * the profiles lock (so never between two steps of another process's change), only when it
 * differs from the last snapshot announced by anyone (the window's own changes are announced by
 * their handlers already), and 'audit-changed' for each burst of audit log writes (a broker's, in
 * this process or another). Returns the stop function.
 */
export function startLiveUpdates(options: LiveUpdatesOptions): () => void {
  const { dataDir, store, events } = options;
  let announced: string | undefined;
  /** Counts every announcement, ours and the handlers'. */
  let generation = 0;
  const unsubscribe = events.subscribe('profiles-changed', (snapshot) => {
    announced = JSON.stringify(snapshot);
    generation++;
  });
  let reading: Promise<void> = Promise.resolve();

  const readUnderLock = async (): Promise<ProfilesFile> => {
    try {
      return await withLock(lockFilePath(dataDir, 'profiles'), () => store.read(), { timeoutMs: 2_000 });
    } catch {
      // Held too long by another process, or a damaged file the store itself must set aside:
      // a plain read is still whole (every write is an atomic rename) and reports what it finds.
      return store.read();
    }
  };

  const announce = async () => {
    try {
      // A handler that announced while we read may have read an older file than ours, or a newer
      // one: read again, so what we announce is never older than what the window already has.
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = generation;
        const snapshot = toSnapshot(await readUnderLock(), options.clockOffsetMs());
        if (generation !== before) continue;
        if (JSON.stringify(snapshot) !== announced) events.emit('profiles-changed', snapshot);
        return;
      }
    } catch {
      // Unreadable now: the window's next call reports why; the next change tries again.
    }
  };

  const watcher = new DataDirWatcher({
    dataDir,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    onChange: (changes) => {
      if (changes.has('broker')) options.onBroker?.();
      // The window's Audit pane reads the log again (it debounces too: one read per burst).
      if (changes.has('audit')) events.emit('audit-changed', { at: new Date().toISOString() });
      // One read at a time, in order: a slow read never announces after a newer one.
      if (changes.has('profiles')) reading = reading.then(announce);
    },
  }).start();

  return () => {
    watcher.close();
    unsubscribe();
  };
}
