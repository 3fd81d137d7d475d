import { parseRedirect } from '../services/auth/redirect.js';
import { APP_URL_SCHEME } from '../services/auth/signin.js';
import { AppError } from '../services/core/errors.js';

/** One sign-in under way, per profile: how to cancel it and where its deep link goes. */
export class SignInSession {
  readonly abort = new AbortController();
  /** The authorization URL, once the sign-in is waiting for the browser. */
  url: string | undefined;
  #state: string | undefined;
  #deepLink: ((text: string) => void) | undefined;
  #early: string | undefined;

  constructor(readonly profileId: string) {}

  get state(): string | undefined {
    return this.#state;
  }

  get awaitsDeepLink(): boolean {
    return this.#deepLink !== undefined;
  }

  /** Called with the authorization URL: its `state` routes deep links to this sign-in. */
  waiting(url: string): void {
    this.url = url;
    try {
      this.#state = new URL(url).searchParams.get('state') ?? undefined;
    } catch {
      this.#state = undefined;
    }
  }

  /** For signIn's `deepLink` option: resolves with the first deep link routed here. */
  readonly deepLink = (signal: AbortSignal): Promise<string> => {
    if (this.#early !== undefined) return Promise.resolve(this.#early);
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(new AppError('SIGNIN_CANCELLED', 'The sign-in was cancelled.'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#deepLink = (text) => {
        signal.removeEventListener('abort', onAbort);
        this.#deepLink = undefined;
        resolve(text);
      };
    });
  };

  deliver(text: string): void {
    if (this.#deepLink) this.#deepLink(text);
    else this.#early ??= text;
  }
}

/** Every sign-in under way; at most one per profile. */
export class SignInRegistry {
  readonly #sessions = new Map<string, SignInSession>();

  begin(profileId: string): SignInSession {
    if (this.#sessions.has(profileId)) {
      throw new AppError(
        'SIGNIN_IN_PROGRESS',
        'A sign-in for this profile is already under way; finish or cancel it first.',
      );
    }
    const session = new SignInSession(profileId);
    this.#sessions.set(profileId, session);
    return session;
  }

  end(session: SignInSession): void {
    if (this.#sessions.get(session.profileId) === session) this.#sessions.delete(session.profileId);
  }

  get(profileId: string): SignInSession | undefined {
    return this.#sessions.get(profileId);
  }

  cancel(profileId: string): boolean {
    const session = this.#sessions.get(profileId);
    session?.abort.abort();
    return session !== undefined;
  }

  cancelAll(): void {
    for (const session of this.#sessions.values()) session.abort.abort();
  }

  /**
   * Routes a deep link (from `second-instance` or `open-url`) to the sign-in whose `state` it
   * carries. False, and ignored, when it is not a redirect of ours or carries no state of a
   * waiting sign-in: any web page can open an `alicloud-signin://` link, so a link without the
   * state (even one bringing an `error`) must not end a sign-in.
   */
  deliverDeepLink(text: unknown): boolean {
    const parsed = parseRedirect(text, { scheme: APP_URL_SCHEME });
    if (parsed.kind === 'unknown' || parsed.state === undefined || typeof text !== 'string') return false;
    const target = [...this.#sessions.values()].find(
      (session) => session.awaitsDeepLink && session.state === parsed.state,
    );
    if (!target) return false;
    target.deliver(text);
    return true;
  }
}
