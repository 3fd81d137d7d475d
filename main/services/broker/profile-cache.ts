import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Profile, ProfilesFile } from '../profiles/schema.js';

export interface ProfileSource {
  read(): Promise<ProfilesFile>;
  readonly file: string;
}

/**
 * The profiles as the broker last read them, so a request costs a map lookup, not a file read.
 * Read again when the file changes (a watch on its folder), when told to (`invalidate`, after a
 * `broker enable|disable` or a sign-out), and at the latest `maxAgeMs` after the last read.
 */
export class ProfileCache {
  readonly #source: ProfileSource;
  readonly #maxAgeMs: number;
  #byId = new Map<string, Profile>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | undefined;
  #watcher: FSWatcher | undefined;

  constructor(source: ProfileSource, options: { maxAgeMs?: number; watch?: boolean } = {}) {
    this.#source = source;
    this.#maxAgeMs = options.maxAgeMs ?? 2000;
    if (options.watch !== false) this.#watch();
  }

  /** The profile with this id, from a copy at most `maxAgeMs` old. */
  async byId(id: string): Promise<Profile | undefined> {
    if (performance.now() - this.#loadedAt > this.#maxAgeMs) await this.#load();
    return this.#byId.get(id);
  }

  /** The profile from a copy still fresh enough, without waiting; undefined when a read is due. */
  peek(id: string): Profile | undefined {
    return performance.now() - this.#loadedAt > this.#maxAgeMs ? undefined : this.#byId.get(id);
  }

  /** Takes a file the caller has just read (saves a read). */
  adopt(file: ProfilesFile): void {
    this.#byId = new Map(file.profiles.map((p) => [p.id, p]));
    this.#loadedAt = performance.now();
  }

  invalidate(): void {
    this.#loadedAt = -Infinity;
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #load(): Promise<void> {
    this.#loading ??= this.#source
      .read()
      .then((file) => this.adopt(file))
      .finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  #watch(): void {
    const name = path.basename(this.#source.file);
    try {
      // Atomic writes rename a temp file over the target: watch the folder, not the file.
      this.#watcher = watch(path.dirname(this.#source.file), { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name) this.invalidate();
      });
      this.#watcher.on('error', () => this.close());
    } catch {
      // No watching on this file system (or the folder is missing yet): maxAgeMs still applies.
    }
  }
}
