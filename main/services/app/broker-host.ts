import { askBroker, reachBroker, type BrokerCredentials } from '../broker/client.js';
import type { CredentialSource } from '../broker/broker.js';
import { brokerPort } from '../broker/settings.js';
import { startBroker, type RunningBroker, type StartBrokerOptions } from '../broker/start.js';
import { isAppError, toAppError, type ErrorCode } from '../core/errors.js';

/** Who started a broker this process attached to. */
type BrokerStarter = 'this-app' | 'cli';

export type BrokerHostStatus =
  | { state: 'starting' }
  /** This process is the broker (local channel and CredentialsURI). */
  | { state: 'serving'; pid: number; port: number; startedAt: string }
  /** Another broker answers for the data folder; this process asks it, as any client does. */
  | { state: 'attached'; pid: number; port: number; startedAt: string; startedBy: BrokerStarter }
  /** Neither: why, in words (tried again every watch interval). */
  | { state: 'failed'; code: ErrorCode; message: string }
  | { state: 'stopped' };

export interface BrokerHostOptions {
  dataDir: string;
  store: StartBrokerOptions['store'];
  secrets: StartBrokerOptions['secrets'];
  /** The credentials the broker hands out (the app's one StsService, so the window shares its cache). */
  sts: CredentialSource;
  env?: NodeJS.ProcessEnv;
  /** The CredentialsURI port; default as `serve`: $ALICLOUD_SIGNIN_BROKER_PORT, else the saved one, else 7878. */
  port?: number;
  /** How often to look again while attached or failed (the other broker may end; a port may free up); default 5 s. */
  watchEveryMs?: number;
  /** Every change of state. */
  onChange?: (status: BrokerHostStatus) => void;
}

/**
 * The desktop app's part in the broker: on start it becomes the broker, with the same code as
 * `alicloud-signin serve` (startBroker), unless one already answers for the data folder, in which
 * case it attaches to that one and asks it for credentials like any client. Either way one
 * process owns the refresh tokens. While attached it looks again every few seconds, and takes
 * over when that broker ends (say, its terminal closed), so the app keeps the tokens served.
 */
export class BrokerHost {
  readonly #options: BrokerHostOptions;
  #status: BrokerHostStatus = { state: 'starting' };
  #running: RunningBroker | undefined;
  #looking: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: BrokerHostOptions) {
    this.#options = options;
  }

  status(): BrokerHostStatus {
    return this.#status;
  }

  /** Settles once (serving, attached or failed), then keeps watching. */
  async start(): Promise<BrokerHostStatus> {
    if (!this.#timer && !this.#closing) {
      this.#timer = setInterval(() => void this.#lookShared(), this.#options.watchEveryMs ?? 5_000).unref();
    }
    await this.#lookShared();
    return this.#status;
  }

  /**
   * Credentials from the broker this process attached to; undefined when it serves itself, when
   * the broker will not serve this profile (switched off) or is gone (the caller does the work
   * itself, under the refresh lock). An error the broker reports (not signed in, sign-in refused)
   * is thrown as that AppError.
   */
  async credentials(profileId: string): Promise<BrokerCredentials | undefined> {
    if (this.#status.state !== 'attached') return undefined;
    const { dataDir, env } = this.#options;
    try {
      const answer = await askBroker(profileId, { dataDir, ...(env ? { env } : {}), format: 'json' });
      // Switched off, or the broker went away: look again now rather than at the next tick.
      if (!answer) void this.#lookShared();
      return answer;
    } catch (error) {
      // Not a broker of ours any more: never use it; the next look starts our own.
      if (isAppError(error, 'BROKER_UNTRUSTED')) {
        void this.#lookShared();
        return undefined;
      }
      throw error;
    }
  }

  /** Stops watching, and stops the broker when this process is it (socket and endpoint file removed). */
  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      clearInterval(this.#timer);
      await this.#looking?.catch(() => undefined);
      const running = this.#running;
      this.#running = undefined;
      await running?.close();
      this.#set({ state: 'stopped' });
    })());
  }

  /** One look at a time; a look asked for while one runs shares it. */
  #lookShared(): Promise<void> {
    if (this.#closing || this.#running) return Promise.resolve();
    return (this.#looking ??= this.#look().finally(() => (this.#looking = undefined)));
  }

  async #look(): Promise<void> {
    if (await this.#attach()) return;
    const { dataDir, env } = this.#options;
    const startedAt = new Date().toISOString();
    try {
      const port = this.#options.port ?? (await brokerPort(dataDir, env));
      const running = await startBroker({
        dataDir,
        port,
        store: this.#options.store,
        secrets: this.#options.secrets,
        sts: this.#options.sts,
      });
      if (this.#closing) {
        await running.close();
        return;
      }
      this.#running = running;
      this.#set({ state: 'serving', pid: process.pid, port: running.port, startedAt });
    } catch (error) {
      // Another process may have started one between our look and our start: use it.
      if (await this.#attach()) return;
      const coded = toAppError(error);
      this.#set({ state: 'failed', code: coded.code, message: coded.message });
    }
  }

  /** Attaches when a broker of ours answers for the data folder; false when none does. */
  async #attach(): Promise<boolean> {
    const { dataDir, env } = this.#options;
    const reach = await reachBroker({ op: 'status' }, { dataDir, ...(env ? { env } : {}), timeoutMs: 2_000 }).catch(
      () => undefined,
    );
    const answer = reach?.kind === 'answer' ? reach.answer : undefined;
    if (!answer?.ok || answer.op !== 'status') return false;
    // The app holds a single-instance lock per data folder, so a broker of another process is
    // the CLI's `serve`; one in this process belongs to another backend of this app.
    const startedBy: BrokerStarter = answer.pid === process.pid ? 'this-app' : 'cli';
    this.#set({ state: 'attached', pid: answer.pid, port: answer.port, startedAt: answer.startedAt, startedBy });
    return true;
  }

  #set(next: BrokerHostStatus): void {
    if (JSON.stringify(next) === JSON.stringify(this.#status)) return;
    this.#status = next;
    try {
      this.#options.onChange?.(next);
    } catch {
      // A listener's failure is the listener's; the broker's state is what it is.
    }
  }
}
