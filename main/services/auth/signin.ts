import * as oidc from 'openid-client';
import { AppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import type { Profile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ProfileStore } from '../store/profile-store.js';
import { refreshExpiry, roleHasNoSignIn, type TokenService } from '../tokens/token-service.js';
import { checkIdTokenSignature, type SignatureCheck } from './id-token-keys.js';
import { identityFromClaims } from './identity.js';
import { checkCallback, startLoopbackReceiver, type CallbackAnswer, type LoopbackReceiver } from './loopback.js';
import { oidcConfiguration } from './oidc-config.js';
import type { BrowserOpener } from './opener.js';
import { parseRedirect } from './redirect.js';
import { revokeQuietly } from './signout.js';
import { endpointsOf, pointsElsewhere } from './sites.js';
import { redeemCode, type CodeResult } from './token-endpoint.js';

const DEFAULT_SIGNIN_TIMEOUT_MS = 5 * 60_000;
export const APP_URL_SCHEME = 'alicloud-signin';
const SCHEME_REDIRECT_URI = `${APP_URL_SCHEME}://callback`;

export type SignInProgress =
  | { kind: 'waiting'; url: string; redirectUri: string; deadline: number; browserOpened: boolean }
  /** A request reached the callback without this sign-in's state: refused, and the wait goes on. */
  | { kind: 'stray'; reason: string }
  | { kind: 'exchanging' }
  /** Something the person should know about a sign-in that succeeded (said in words). */
  | { kind: 'notice'; text: string };

export interface SignInOptions {
  /** Open the system browser (default). Off for headless mode. */
  openBrowser?: boolean;
  /** Headless mode: resolves with the URL the person pasted from their browser's address bar. */
  pastedUrl?: (signal: AbortSignal) => Promise<string>;
  /** Scheme redirects: resolves with the deep link the desktop shell received. */
  deepLink?: (signal: AbortSignal) => Promise<string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SignInProgress) => void;
}

export interface SignInDeps {
  store: ProfileStore;
  secrets: SecretStore;
  tokens: TokenService;
  fetch: FetchLike;
  openBrowser: BrowserOpener;
  now?: () => number;
}

/** cn and intl send what the official CLI sends: no nonce. A custom site sends one unless told not to. */
function sendsNonce(profile: Pick<Profile, 'site' | 'client'>): boolean {
  return profile.site === 'custom' && profile.client.nonce !== false;
}

/**
 * The whole native sign-in (RFC 8252): PKCE S256 and state (plus a nonce on custom sites), the
 * system browser, one callback with this sign-in's state, the code exchanged, the ID token
 * checked. The refresh token goes to the keychain before the profile records the sign-in; on any
 * failure nothing is stored.
 */
export async function signIn(
  deps: SignInDeps,
  profileRef: string | undefined,
  options: SignInOptions = {},
): Promise<Profile> {
  const profile = await deps.store.resolve(profileRef);
  if (profile.role) throw roleHasNoSignIn(profile, await deps.store.get(profile.role.sourceProfileId));
  // Ask the keychain first: a locked or missing one fails now, before the person signs in for nothing.
  const previous = await deps.secrets.get(profile.id);
  const config = oidcConfiguration(profile, deps.fetch);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = sendsNonce(profile) ? oidc.randomNonce() : undefined;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SIGNIN_TIMEOUT_MS;
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;

  // Bind first, then build the URL from the port actually bound.
  const receiver =
    profile.client.redirect.kind === 'loopback'
      ? await startLoopbackReceiver({
          ...profile.client.redirect,
          expectedState: state,
          onStray: (reason) => options.onProgress?.({ kind: 'stray', reason }),
        })
      : undefined;
  const redirectUri = receiver?.redirectUri ?? SCHEME_REDIRECT_URI;
  try {
    const url = oidc.buildAuthorizationUrl(config, {
      response_type: 'code',
      redirect_uri: redirectUri,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...(nonce ? { nonce } : {}),
      access_type: 'offline',
      ...(profile.client.scopes ? { scope: profile.client.scopes.join(' ') } : {}),
      ...(profile.client.prompt ? { prompt: profile.client.prompt } : {}),
    });
    let browserOpened = false;
    if (options.openBrowser !== false) {
      browserOpened = await deps.openBrowser(url.href).then(
        () => true,
        () => false,
      );
    }
    const deadline = (deps.now?.() ?? Date.now()) + timeoutMs;
    options.onProgress?.({ kind: 'waiting', url: url.href, redirectUri, deadline, browserOpened });

    const answer = await waitForAnswer({ receiver, state, redirectUri, options, signal, timeoutMs });
    options.onProgress?.({ kind: 'exchanging' });
    const tokens = await redeemCode({
      profile,
      fetch: deps.fetch,
      code: answer.code,
      state,
      callbackIssuer: answer.iss,
      redirectUri,
      verifier,
      nonce,
      signal,
    });
    const checked = tokens.idToken ? await checkSignature(deps, profile, tokens.idToken) : undefined;
    const stored = await storeSignIn(deps, profile, tokens, previous);
    for (const text of notices(tokens, checked)) options.onProgress?.({ kind: 'notice', text });
    return stored;
  } finally {
    abort.abort();
    receiver?.close();
  }
}

function checkSignature(deps: SignInDeps, profile: Profile, idToken: string): Promise<SignatureCheck> {
  return checkIdTokenSignature(idToken, {
    fetch: deps.fetch,
    jwksUri: endpointsOf(profile).jwks,
    tolerateMissingKeys: profile.site !== 'custom',
    ...(deps.now ? { now: deps.now } : {}),
  });
}

/** What to tell the person about a sign-in that worked but could not be checked in full. */
function notices(tokens: CodeResult, checked: SignatureCheck | undefined): string[] {
  const said: string[] = [];
  if (!tokens.claims) {
    said.push('The site sent no ID token, so this profile cannot show who signed in; the sign-in itself works.');
  }
  if (checked === 'hmac') {
    said.push(
      "The ID token is signed with a shared secret (HMAC) that a public client does not hold, so its signature was not checked; it came straight from the site's token endpoint over TLS.",
    );
  }
  if (checked === 'keys-unavailable') {
    said.push(
      "The site's signing keys could not be fetched, so the ID token's signature was not checked; it came straight from the site's token endpoint over TLS.",
    );
  }
  if (!tokens.refreshToken) {
    said.push('The site issued no refresh token, so this sign-in ends when its access token does.');
  }
  return said;
}

/**
 * Keeps the sign-in, holding the profile's refresh lock: a site edit (which signs out under the
 * same lock) cannot run between the check and the store. A profile pointed at another site, or
 * removed, while the person signed in does not get this token: it belongs to the old site, where
 * it is revoked, and nothing is stored.
 */
function storeSignIn(
  deps: SignInDeps,
  started: Profile,
  tokens: CodeResult,
  previous: string | null,
): Promise<Profile> {
  return deps.tokens.exclusive(started.id, async () => {
    const now = await deps.store.get(started.id);
    if (!now || pointsElsewhere(started, now)) {
      if (tokens.refreshToken) await revokeQuietly(oidcConfiguration(started, deps.fetch), tokens.refreshToken);
      throw new AppError(
        'SIGNIN_CANCELLED',
        now
          ? `Profile "${now.name}" was pointed at another site while you signed in, so this sign-in (to the old site) was not kept and its token was revoked there. Sign in again.`
          : `Profile "${started.name}" was removed while you signed in; the sign-in was not kept and its token was revoked.`,
      );
    }
    return keepSignIn(deps, started, tokens, previous);
  });
}

async function keepSignIn(
  deps: SignInDeps,
  profile: Profile,
  tokens: CodeResult,
  previous: string | null,
): Promise<Profile> {
  const config = oidcConfiguration(profile, deps.fetch);
  if (tokens.refreshToken) {
    try {
      await deps.secrets.set(profile.id, tokens.refreshToken);
    } catch (error) {
      // A token we cannot keep must not stay valid at the site.
      await revokeQuietly(config, tokens.refreshToken);
      throw error;
    }
  }
  const now = deps.now?.() ?? Date.now();
  const expiresAt = now + (tokens.expiresIn ?? 3600) * 1000;
  deps.tokens.remember(profile.id, { accessToken: tokens.accessToken, expiresAt, scope: tokens.scope });
  const updated = await deps.store.patch(profile.id, {
    status: 'signed-in',
    identity: tokens.claims ? identityFromClaims(tokens.claims) : undefined,
    signedInAt: new Date(now).toISOString(),
    refreshedAt: undefined,
    accessTokenExpiresAt: new Date(expiresAt).toISOString(),
    refreshTokenExpiresAt: undefined,
    ...refreshExpiry(tokens.refreshExpiresIn, now),
  });
  // Signing in again replaces the old grant; end it at the site too.
  if (previous && tokens.refreshToken && previous !== tokens.refreshToken) await revokeQuietly(config, previous);
  return updated;
}

interface WaitArgs {
  receiver: LoopbackReceiver | undefined;
  state: string;
  redirectUri: string;
  options: SignInOptions;
  signal: AbortSignal;
  timeoutMs: number;
}

/** The first of: the loopback callback, a pasted URL, a deep link; or the timeout, or a cancel. */
async function waitForAnswer({
  receiver,
  state,
  redirectUri,
  options,
  signal,
  timeoutMs,
}: WaitArgs): Promise<CallbackAnswer> {
  const sources: Promise<CallbackAnswer>[] = [];
  if (receiver) sources.push(receiver.answer);
  const expectation = receiver ? { callbackPath: new URL(redirectUri).pathname } : { scheme: APP_URL_SCHEME };
  const external = options.pastedUrl ?? (receiver ? undefined : options.deepLink);
  if (external)
    sources.push(
      external(signal).then((text) => answerOrThrow(checkCallback(parseRedirect(text, expectation), state))),
    );
  if (sources.length === 0)
    throw new AppError('INVALID_INPUT', 'This profile redirects to the app, which only the desktop app can receive.');

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    const seconds = Math.round(timeoutMs / 1000);
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'SIGNIN_TIMEOUT',
            `The sign-in did not finish within ${seconds} s. Start it again when you are ready.`,
          ),
        ),
      timeoutMs,
    );
    onAbort = () => reject(new AppError('SIGNIN_CANCELLED', 'The sign-in was cancelled.'));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([...sources, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

function answerOrThrow(result: CallbackAnswer | AppError): CallbackAnswer {
  if (result instanceof AppError) throw result;
  return result;
}
