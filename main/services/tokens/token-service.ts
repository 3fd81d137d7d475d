import { createHash } from 'node:crypto';
import { AppError, isAppError } from '../core/errors.js';
import { redeemRefreshToken, type TokenResult } from '../auth/token-endpoint.js';
import type { FetchLike } from '../net/http.js';
import type { Profile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { withLock } from '../store/file-lock.js';
import type { ProfileStore } from '../store/profile-store.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

/** An access token, in memory only. */
export interface AccessGrant {
  accessToken: string;
  expiresAt: number;
  scope: string | undefined;
}

export type RefreshOutcome = { refreshedBy: 'this-process'; expiresAt: number } | { refreshedBy: 'already-fresh' };

/** A sign-in refreshed this recently (by any process) counts as fresh for `refresh()`. */
const FRESH_WINDOW_MS = 10_000;

export interface TokenServiceDeps {
  store: ProfileStore;
  secrets: SecretStore;
  fetch: FetchLike;
  /** Where per-profile refresh locks live (shared by every process using the data dir). */
  lockPath: (profileId: string) => string;
  now?: () => number;
  retry?: RetryPolicy;
  lockTimeoutMs?: number;
}

/**
 * Owns access tokens and the rotation of refresh tokens. A refresh is single-flight per profile
 * within the process (one shared promise) and across processes (a lock in the data dir, and a
 * fresh keychain read once it is held, since another process may have rotated the token).
 */
export class TokenService {
  readonly #deps: TokenServiceDeps;
  readonly #access = new Map<string, AccessGrant>();
  readonly #inflight = new Map<string, Promise<RefreshResult>>();

  constructor(deps: TokenServiceDeps) {
    this.#deps = deps;
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  /** Keeps an access token from a sign-in. */
  remember(profileId: string, grant: AccessGrant): void {
    this.#access.set(profileId, grant);
  }

  forget(profileId: string): void {
    this.#access.delete(profileId);
  }

  /**
   * Runs `fn` holding the profile's refresh lock (every process's refreshes, and a site edit's
   * sign-out, take it too), so that what `fn` reads of the profile holds until it is done.
   */
  exclusive<T>(profileId: string, fn: () => Promise<T>): Promise<T> {
    return withLock(this.#deps.lockPath(profileId), fn, { timeoutMs: this.#deps.lockTimeoutMs ?? 60_000 });
  }

  /** A valid access token, refreshed when it would run out within `minValidityMs`. */
  async accessToken(profileId: string, minValidityMs = 60_000): Promise<AccessGrant> {
    const held = this.#access.get(profileId);
    if (held && held.expiresAt - this.#now() > minValidityMs) return held;
    const result = await this.#refreshOnce(profileId, 'need-token');
    if (!result.grant) throw new AppError('INTERNAL', 'The refresh gave no access token.');
    return result.grant;
  }

  /** Drops the held access token and gets a new one (after the site called it expired). */
  async renewAccessToken(profileId: string): Promise<AccessGrant> {
    this.#access.delete(profileId);
    return this.accessToken(profileId);
  }

  /**
   * Makes sure the sign-in is fresh. When another process rotated the token while this one
   * waited for the lock, that refresh counts and no second one is sent.
   */
  async refresh(profileId: string): Promise<RefreshOutcome> {
    const result = await this.#refreshOnce(profileId, 'check');
    return result.grant
      ? { refreshedBy: 'this-process', expiresAt: result.grant.expiresAt }
      : { refreshedBy: 'already-fresh' };
  }

  async #refreshOnce(profileId: string, mode: RefreshMode): Promise<RefreshResult> {
    for (let running = this.#inflight.get(profileId); running; running = this.#inflight.get(profileId)) {
      const shared = await running;
      // A concurrent "check" may have found another process's refresh and holds no token.
      if (mode === 'check' || shared.grant) return shared;
    }
    const promise = this.#refreshLocked(profileId, mode).finally(() => this.#inflight.delete(profileId));
    this.#inflight.set(profileId, promise);
    return promise;
  }

  async #refreshLocked(profileId: string, mode: RefreshMode): Promise<RefreshResult> {
    const { secrets, store } = this.#deps;
    const seen = fingerprint(await secrets.get(profileId));
    return withLock(
      this.#deps.lockPath(profileId),
      async () => {
        const current = await secrets.get(profileId);
        const profile = await store.resolve(profileId);
        if (profile.role) throw roleHasNoSignIn(profile, await store.get(profile.role.sourceProfileId));
        if (!current) throw profile.status === 'needs-attention' ? refused(profile) : notSignedIn(profile);
        if (mode === 'check') {
          // Another process rotated the token while we waited, or refreshed it moments ago.
          const rotated = seen !== undefined && fingerprint(current) !== seen;
          const lastRefresh = Date.parse(profile.refreshedAt ?? '');
          if (rotated || Date.now() - lastRefresh < FRESH_WINDOW_MS) return { grant: undefined };
        }
        const grant = await this.#refreshWith(profile, current);
        return { grant };
      },
      { timeoutMs: this.#deps.lockTimeoutMs ?? 60_000 },
    );
  }

  async #refreshWith(profile: Profile, refreshToken: string): Promise<AccessGrant> {
    const { secrets, store } = this.#deps;
    let tokens: TokenResult;
    try {
      tokens = await withRetry(
        () => redeemRefreshToken(profile, this.#deps.fetch, refreshToken),
        this.#deps.retry ?? DEFAULT_RETRY,
      );
    } catch (error) {
      if (isAppError(error, 'INVALID_GRANT')) await this.#dropSignIn(profile);
      throw error;
    }
    // The rotated token goes to the keychain before anything else can read the old one.
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
      await secrets.set(profile.id, tokens.refreshToken);
    }
    const grant: AccessGrant = {
      accessToken: tokens.accessToken,
      expiresAt: this.#now() + (tokens.expiresIn ?? 3600) * 1000,
      scope: tokens.scope,
    };
    this.#access.set(profile.id, grant);
    await store.patch(profile.id, {
      status: 'signed-in',
      refreshedAt: new Date().toISOString(),
      accessTokenExpiresAt: new Date(grant.expiresAt).toISOString(),
      ...refreshExpiry(tokens.refreshExpiresIn, this.#now()),
    });
    return grant;
  }

  /**
   * The SITE refused the refresh token (revoked, expired, rotated out elsewhere): the token is
   * dead, so it leaves the keychain, but the person did not sign out. The profile needs attention
   * and keeps its last identity (shown as stale) until a new sign-in; `signed-out` is only ever
   * what a sign-out leaves.
   */
  async #dropSignIn(profile: Profile): Promise<void> {
    this.#access.delete(profile.id);
    await this.#deps.secrets.delete(profile.id);
    await this.#deps.store.patch(profile.id, {
      status: 'needs-attention',
      accessTokenExpiresAt: undefined,
      refreshTokenExpiresAt: undefined,
    });
  }
}

type RefreshMode = 'check' | 'need-token';
interface RefreshResult {
  grant: AccessGrant | undefined;
}

/** Compares tokens without keeping a copy of one around. */
function fingerprint(token: string | null): string | undefined {
  return token ? createHash('sha256').update(token).digest('base64url') : undefined;
}

/**
 * Alibaba does not document a refresh lifetime in the response (the official CLI reads
 * `refresh_expires_in`); use one when a site sends it.
 */
export function refreshExpiry(seconds: number | undefined, now: number): { refreshTokenExpiresAt?: string } {
  return seconds !== undefined ? { refreshTokenExpiresAt: new Date(now + seconds * 1000).toISOString() } : {};
}

/** A role profile is signed in through its source: say which one, instead of a sign-in with the wrong app. */
export function roleHasNoSignIn(profile: Profile, source: Profile | undefined): AppError {
  const named = source ? `"${source.name}"` : 'its source profile';
  return new AppError(
    'INVALID_INPUT',
    `Profile "${profile.name}" is a RAM role assumed through ${named}; it has no sign-in of its own. ` +
      `Sign in to the source instead${source ? `: alicloud-signin login ${source.name}` : ''}.`,
  );
}

/** Every later use of a profile the site refused says so, not "not signed in". */
function refused(profile: Profile): AppError {
  return new AppError(
    'INVALID_GRANT',
    `The site no longer accepts the sign-in of profile "${profile.name}" (revoked, expired or used elsewhere). ` +
      `Sign in again: alicloud-signin login ${profile.name}`,
  );
}

function notSignedIn(profile: Profile): AppError {
  return new AppError(
    'NOT_SIGNED_IN',
    `Profile "${profile.name}" is not signed in. Run: alicloud-signin login ${profile.name}`,
  );
}
