import { endpointsOf } from '../auth/sites.js';
import { AppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import type { StsCredentials } from '../oss/types.js';
import type { Profile } from '../profiles/schema.js';
import { assumeRoleProfile } from '../roles/role-credentials.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../tokens/retry.js';
import type { TokenService } from '../tokens/token-service.js';
import { notAllowed, postExchange } from './exchange.js';

/** Credentials are renewed this long before they expire (server time). */
const DEFAULT_STS_MARGIN_MS = 5 * 60_000;

/** Server time per origin; a ServerClock fits. */
export interface TimeSource {
  now(origin?: string): number;
}

export interface StsServiceDeps {
  /** Access tokens: a TokenService fits. */
  tokens: Pick<TokenService, 'accessToken' | 'renewAccessToken'>;
  /** Finds a profile by id (a ProfileStore fits). */
  profiles: { resolve(ref: string): Promise<Profile> };
  fetch: FetchLike;
  /** Server time; default the local clock. */
  clock?: TimeSource;
  /** Renew this long before expiry; default 5 minutes. */
  marginMs?: number;
  /** For 5xx and connections that never opened; default 3 attempts. */
  retry?: RetryPolicy;
}

export interface StsRequestOptions {
  /** Skip the held credentials (OSS called them expired) and exchange again. */
  forceRenew?: boolean;
  signal?: AbortSignal;
}

interface Held {
  credentials: StsCredentials;
  /** Origin of the exchange (or STS) endpoint: the expiry is in that server's time. */
  origin: string;
  /** A role profile's: the profiles its credentials came from (forgetting one forgets these). */
  sources?: string[];
}

/**
 * Turns a signed-in profile into temporary STS credentials through the site's `/v1/exchange`, and
 * a role profile into STS AssumeRole credentials got with its source profile's (itself through
 * this service, so a chain of roles shares one cache). Credentials live in memory only, per
 * profile, and are reused until `marginMs` before they expire in the issuer's time. One exchange
 * at a time per profile: concurrent callers share it.
 */
export class StsService {
  readonly #deps: StsServiceDeps;
  readonly #held = new Map<string, Held>();
  readonly #inflight = new Map<string, Promise<Held>>();

  constructor(deps: StsServiceDeps) {
    this.#deps = deps;
  }

  get marginMs(): number {
    return this.#deps.marginMs ?? DEFAULT_STS_MARGIN_MS;
  }

  /** Valid credentials for the profile, exchanged only when the held ones are near their end. */
  async credentials(profileId: string, options: StsRequestOptions = {}): Promise<StsCredentials> {
    options.signal?.throwIfAborted();
    const held = this.#held.get(profileId);
    if (!options.forceRenew && held && this.#validFor(held) > this.marginMs) return held.credentials;
    let running = this.#inflight.get(profileId);
    if (!running) {
      // Not tied to one caller's signal: another caller may be waiting for the same exchange.
      running = this.#exchange(profileId).finally(() => this.#inflight.delete(profileId));
      this.#inflight.set(profileId, running);
    }
    return (await abortable(running, options.signal)).credentials;
  }

  /** Milliseconds the held credentials stay valid (server time), or undefined without any. */
  validFor(profileId: string): number | undefined {
    const held = this.#held.get(profileId);
    return held ? this.#validFor(held) : undefined;
  }

  /**
   * Drops a profile's credentials (on sign-out), and those of every role profile assumed with
   * them; an exchange under way still completes.
   */
  forget(profileId: string): void {
    this.#held.delete(profileId);
    for (const [id, held] of this.#held) if (held.sources?.includes(profileId)) this.#held.delete(id);
  }

  /**
   * Assumes the role of a role profile that is not stored yet (its source is), so `profile add`
   * can refuse a role that does not exist or will not be assumed before saving anything. Nothing
   * is kept.
   */
  async check(profile: Profile, signal?: AbortSignal): Promise<StsCredentials> {
    return (await this.#assume(profile, signal)).credentials;
  }

  #validFor(held: Held): number {
    const now = this.#deps.clock?.now(held.origin) ?? Date.now();
    return held.credentials.expiration.getTime() - now;
  }

  async #exchange(profileId: string): Promise<Held> {
    const { tokens, profiles, fetch } = this.#deps;
    const profile = await profiles.resolve(profileId);
    if (profile.role) {
      const held = await this.#assume(profile);
      this.#held.set(profileId, held);
      return held;
    }
    const endpoint = endpointsOf(profile).exchange;
    if (!endpoint)
      throw notAllowed(
        profile.name,
        'its site has no exchange endpoint (add the profile again with --exchange-endpoint)',
      );

    const attempt = (accessToken: string) =>
      withRetry(() => postExchange(fetch, endpoint, accessToken, profile.name), this.#deps.retry ?? DEFAULT_RETRY);
    let outcome = await attempt((await tokens.accessToken(profileId)).accessToken);
    if (outcome.kind === 'token-rejected') {
      // Expired (or otherwise refused) access token: refresh once, then try again.
      outcome = await attempt((await tokens.renewAccessToken(profileId)).accessToken);
    }
    if (outcome.kind === 'token-rejected') {
      throw new AppError(
        'EXCHANGE_FAILED',
        `The site did not accept the fresh access token of profile "${profile.name}" (${outcome.error}). ` +
          `Sign in again: alicloud-signin login ${profile.name}`,
      );
    }
    const held: Held = { credentials: outcome.credentials, origin: new URL(endpoint).origin };
    this.#held.set(profileId, held);
    return held;
  }

  #assume(profile: Profile, signal?: AbortSignal): Promise<Held> {
    const { profiles, fetch, clock, retry } = this.#deps;
    return assumeRoleProfile(
      {
        fetch,
        lookup: (id) => profiles.resolve(id),
        sourceCredentials: (sourceId, forceRenew) => this.credentials(sourceId, { forceRenew }),
        ...(clock ? { clock } : {}),
        ...(retry ? { retry } : {}),
        ...(signal ? { signal } : {}),
      },
      profile,
    );
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
