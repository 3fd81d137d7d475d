import type * as KeyringModule from '@napi-rs/keyring';
import { keyringError, keyringTimeout, type KeyringOp } from './keyring-errors.js';
import { sharedKeychainHelper, type KeychainHelper, type NativeEntry } from './keyring-helper.js';
import { keychainCallsIsolated } from './isolation.js';
import { checkAccount, checkSecret, SECRET_SERVICE, type SecretStore } from './secret-store.js';

export interface KeyringStoreOptions {
  /** The keychain service name (default `alicloud-signin`). */
  service?: string;
  /** Every call settles within this long (default 2000 ms). */
  timeoutMs?: number;
  /**
   * Make the native calls in a helper process (default: as `isolateKeychainCalls()` said, else
   * no). For a CLI: a call stuck on an unlock prompt then cannot keep the process alive.
   */
  isolate?: boolean;
}

type Keyring = typeof KeyringModule;

/** How long the helper process may take to start (on a loaded machine), before any call's own bound. */
const HELPER_START_MS = 10_000;
let keyringModule: Promise<Keyring> | undefined;

/** Loaded on first use, so a missing native binary costs only the keychain, not the whole CLI. */
function loadKeyring(): Promise<Keyring> {
  keyringModule ??= import('@napi-rs/keyring');
  return keyringModule;
}

/**
 * The OS keychain through @napi-rs/keyring: Keychain on macOS, Credential Manager on Windows,
 * the Secret Service (GNOME Keyring, KWallet) on Linux, and never the kernel keyring or a file.
 *
 * - One AsyncEntry per account, created on first use and reused: each holds a D-Bus connection.
 * - Calls on one account run one after another, so a hung call ties up at most one libuv thread
 *   per account; a call whose caller already gave up is never started.
 * - Concurrent reads of one account share one keychain call (until a write is queued).
 * - Every call settles within `timeoutMs`: the keyring's AbortSignal only cancels calls that have
 *   not started, so a timer bounds the rest. A timed-out write may still be applied later.
 */
export class KeyringSecretStore implements SecretStore {
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly entries = new Map<string, NativeEntry>();
  private readonly helper: KeychainHelper | undefined;
  /** Per account, the last queued keychain call. */
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Per account, a read in flight that later reads may join. */
  private readonly reads = new Map<string, Promise<string | null>>();
  private running = 0;

  constructor(options: KeyringStoreOptions = {}) {
    this.service = options.service ?? SECRET_SERVICE;
    this.timeoutMs = options.timeoutMs ?? 2000;
    // Started on first use (or by the CLI's prestart); unreferenced, so it never holds the process.
    this.helper = (options.isolate ?? keychainCallsIsolated()) ? sharedKeychainHelper(this.service) : undefined;
  }

  /**
   * Keychain calls started and not finished, including ones whose callers timed out. In process,
   * while this is above 0 the process cannot end, not even through process.exit(): libuv joins its
   * worker threads at exit, and a call waiting on an unanswered unlock prompt holds one. With
   * `isolate` such a call waits in the helper process instead, which ends with this one.
   */
  get pendingCalls(): number {
    return this.running;
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    await this.helperReady('read');
    const deadline = this.deadline('read');
    let read = this.reads.get(account);
    if (!read) {
      const started = this.enqueue(account, deadline.signal, (entry, signal) => entry.getPassword(signal));
      const shared = started.finally(() => {
        if (this.reads.get(account) === shared) this.reads.delete(account);
      });
      read = shared;
      this.reads.set(account, shared);
    }
    return deadline.race(read);
  }

  /**
   * On Linux the Secret Service is asked directly (SearchItems: no secret read, no unlock prompt,
   * neither the binding nor the helper process); elsewhere, or when it cannot be asked, a read.
   */
  async has(account: string): Promise<boolean> {
    checkAccount(account);
    if (process.platform === 'linux') {
      const { secretServiceHas } = await import('./secret-service-search.js');
      const found = await secretServiceHas({ service: this.service, username: account }, { timeoutMs: this.timeoutMs });
      if (found !== undefined) return found;
    }
    return (await this.get(account)) !== null;
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    checkSecret(secret);
    await this.helperReady('save');
    const deadline = this.deadline('save');
    this.reads.delete(account); // a later read must see this write
    return deadline.race(this.enqueue(account, deadline.signal, (entry, signal) => entry.setPassword(secret, signal)));
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    await this.helperReady('delete');
    const deadline = this.deadline('delete');
    this.reads.delete(account);
    return deadline.race(this.enqueue(account, deadline.signal, (entry, signal) => entry.deletePassword(signal)));
  }

  /** Runs `call` after the account's earlier calls, unless the caller gave up by then. */
  private enqueue<T>(
    account: string,
    signal: AbortSignal,
    call: (entry: NativeEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const previous = this.tails.get(account) ?? Promise.resolve();
    const run = previous.then(async () => {
      signal.throwIfAborted();
      const entry = await this.entry(account);
      this.running += 1;
      try {
        return await call(entry, signal);
      } finally {
        this.running -= 1;
      }
    });
    const tail = run.catch(() => undefined);
    this.tails.set(account, tail);
    void tail.then(() => {
      if (this.tails.get(account) === tail) this.tails.delete(account);
    });
    return run;
  }

  private async entry(account: string): Promise<NativeEntry> {
    const cached = this.entries.get(account);
    if (cached) return cached;
    if (this.helper) {
      const remote = this.helper.entry(account);
      this.entries.set(account, remote);
      return remote;
    }
    const { AsyncEntry } = await loadKeyring();
    // Throws synchronously without D-Bus or a Secret Service; with a hung daemon it blocks for
    // about 2 s before throwing (libdbus's own reply timeout).
    const entry = new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
    this.entries.set(account, entry);
    return entry;
  }

  /** With a helper: waits (bounded) until it runs, so its start-up is not a call's time. */
  private async helperReady(op: KeyringOp): Promise<void> {
    if (!this.helper) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(keyringTimeout(op, HELPER_START_MS)), HELPER_START_MS);
    });
    try {
      await Promise.race([this.helper.ready(), late]);
    } catch (error) {
      throw keyringError(error, op);
    } finally {
      clearTimeout(timer);
    }
  }

  private deadline(op: KeyringOp): { signal: AbortSignal; race<T>(work: Promise<T>): Promise<T> } {
    const controller = new AbortController();
    const ms = this.timeoutMs;
    const started = Date.now();
    return {
      signal: controller.signal,
      race: async <T>(work: Promise<T>): Promise<T> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(keyringTimeout(op, ms)), Math.max(0, started + ms - Date.now()));
        });
        try {
          return await Promise.race([work, timeout]);
        } catch (error) {
          controller.abort();
          // A shared read aborted by the caller that started it ran out of time too.
          throw error instanceof Error && error.name === 'AbortError'
            ? keyringTimeout(op, ms)
            : keyringError(error, op);
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }
}
