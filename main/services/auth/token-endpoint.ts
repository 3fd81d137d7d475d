import * as oauth from 'oauth4webapi';
import { AppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';
import type { Profile } from '../profiles/schema.js';
import { fromOidcError } from './oidc-errors.js';
import { endpointsOf } from './sites.js';

type SiteProfile = Pick<Profile, 'site' | 'endpoints' | 'name' | 'client'>;

/**
 * The `iss` values a profile's site may sign. Alibaba's INTL discovery document names
 * `https://oauth.alibabacloud.com` while its INTL documentation (seed 000) shows
 * `https://oauth.aliyun.com`: both are taken there, and nothing else anywhere.
 */
function acceptedIssuers(profile: SiteProfile): string[] {
  const own = endpointsOf(profile).issuer;
  return profile.site === 'intl' ? [own, 'https://oauth.aliyun.com'] : [own];
}

/**
 * Every JWS algorithm an ID token may name here except `none`. Alibaba documents no algorithm and
 * its one example token is HS256 (seed 001); the token comes straight from the token endpoint
 * over TLS, and the signature is checked separately where a public client can (see id-token-keys).
 */
const ID_TOKEN_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'HS256',
  'HS384',
  'HS512',
];

function authorizationServer(profile: SiteProfile, issuer: string): oauth.AuthorizationServer {
  const endpoints = endpointsOf(profile);
  return {
    issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    id_token_signing_alg_values_supported: ID_TOKEN_ALGS,
  };
}

function publicClient(profile: SiteProfile): oauth.Client {
  return { client_id: profile.client.clientId, token_endpoint_auth_method: 'none' };
}

function requestOptions(fetch: FetchLike, signal: AbortSignal | undefined): oauth.TokenEndpointRequestOptions {
  return { [oauth.customFetch]: (url, init) => fetch(url, init as RequestInit), ...(signal ? { signal } : {}) };
}

/** What the token endpoint answered, as used by sign-in and refresh. */
export interface TokenResult {
  accessToken: string;
  /** Seconds; a string ("3600", as in seed 001) is read as a number. */
  expiresIn: number | undefined;
  refreshToken: string | undefined;
  scope: string | undefined;
  /** Seconds; the official CLI reads `refresh_expires_in`, others send `refresh_token_expires_in`. */
  refreshExpiresIn: number | undefined;
}

export interface CodeResult extends TokenResult {
  /** The compact ID token, when the site sent one (undocumented when no scope is asked for). */
  idToken: string | undefined;
  /** Its claims, checked for issuer, audience, expiry and (when present) nonce. */
  claims: oauth.IDToken | undefined;
}

export interface RedeemCodeArgs {
  profile: SiteProfile;
  fetch: FetchLike;
  code: string;
  state: string;
  /** RFC 9207 `iss` of the callback, when the site sent one. */
  callbackIssuer: string | undefined;
  redirectUri: string;
  verifier: string;
  /** The nonce sent in the authorization request, if one was. */
  nonce: string | undefined;
  signal?: AbortSignal;
}

/**
 * The authorization code for tokens. The ID token's `nonce` is optional: Alibaba documents no
 * nonce parameter, so its ID tokens have none; when one is present it must be ours (and a token
 * with a nonce when we sent none is refused).
 */
export async function redeemCode(args: RedeemCodeArgs): Promise<CodeResult> {
  const { profile } = args;
  const issuers = acceptedIssuers(profile);
  if (args.callbackIssuer !== undefined && !issuers.includes(args.callbackIssuer)) {
    throw new AppError(
      'CALLBACK_INVALID',
      "The sign-in answer names another issuer than this profile's site (RFC 9207 iss), so it was not used. Nothing was stored.",
    );
  }
  const client = publicClient(profile);
  const callback = new URLSearchParams({ code: args.code, state: args.state });
  if (args.callbackIssuer !== undefined) callback.set('iss', args.callbackIssuer);
  try {
    const as = authorizationServer(profile, args.callbackIssuer ?? issuers[0] ?? '');
    const params = oauth.validateAuthResponse(as, client, callback, args.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      args.redirectUri,
      args.verifier,
      requestOptions(args.fetch, args.signal),
    );
    const peek = await peekIdToken(response);
    // The issuer the token names, if the site may sign it; otherwise the check below fails on it.
    const issuer = peek.iss !== undefined && issuers.includes(peek.iss) ? peek.iss : (issuers[0] ?? '');
    const result = await oauth.processAuthorizationCodeResponse(
      authorizationServer(profile, issuer),
      client,
      response,
      peek.present
        ? { requireIdToken: true, expectedNonce: args.nonce && peek.hasNonce ? args.nonce : oauth.expectNoNonce }
        : {},
    );
    return {
      ...tokenResult(result),
      idToken: result.id_token,
      claims: oauth.getValidatedIdTokenClaims(result),
    };
  } catch (error) {
    throw fromOidcError(error, 'sign-in');
  }
}

/**
 * A refresh_token grant. Its ID token, if any, is not read (neither here nor by the official CLI):
 * the identity comes from the sign-in, so a refresh never fails on an ID token's shape.
 */
export async function redeemRefreshToken(
  profile: SiteProfile,
  fetch: FetchLike,
  refreshToken: string,
  signal?: AbortSignal,
): Promise<TokenResult> {
  const client = publicClient(profile);
  const as = authorizationServer(profile, acceptedIssuers(profile)[0] ?? '');
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      refreshToken,
      requestOptions(fetch, signal),
    );
    return tokenResult(await oauth.processRefreshTokenResponse(as, client, await withoutIdToken(response)));
  } catch (error) {
    throw fromOidcError(error, 'refresh');
  }
}

function tokenResult(result: oauth.TokenEndpointResponse): TokenResult {
  return {
    accessToken: result.access_token,
    expiresIn: result.expires_in,
    refreshToken: result.refresh_token,
    scope: result.scope,
    refreshExpiresIn: seconds(result.refresh_expires_in) ?? seconds(result.refresh_token_expires_in),
  };
}

function seconds(raw: unknown): number | undefined {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

interface IdTokenPeek {
  present: boolean;
  iss: string | undefined;
  hasNonce: boolean;
}

/**
 * Reads, without trusting, which issuer an ID token names and whether it has a nonce, so the
 * checks that follow can be the ones the site's documents allow. The response is cloned.
 */
async function peekIdToken(response: Response): Promise<IdTokenPeek> {
  const body = await readJson(response.clone());
  const idToken = body?.id_token;
  if (typeof idToken !== 'string') return { present: false, iss: undefined, hasNonce: false };
  const payload = idToken.split('.')[1];
  let claims: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object') claims = parsed as Record<string, unknown>;
  } catch {
    // Malformed: the validation that follows says so.
  }
  return {
    present: true,
    iss: typeof claims.iss === 'string' ? claims.iss : undefined,
    hasNonce: claims.nonce !== undefined,
  };
}

async function withoutIdToken(response: Response): Promise<Response> {
  const body = await readJson(response.clone());
  if (!body || !('id_token' in body)) return response;
  delete body.id_token;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const value = (await response.json()) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
