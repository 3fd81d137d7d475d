import { compactVerify, createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet } from 'jose';
import { AppError } from '../core/errors.js';
import type { FetchLike } from '../net/http.js';

/** How far an ID token's signature could be checked. */
export type SignatureCheck =
  /** Verified against the site's published keys. */
  | 'verified'
  /** HMAC (HS*) is keyed by a secret a public client does not have: it cannot be checked here. */
  | 'hmac'
  /** The site's keys could not be fetched or hold no key for this token. */
  | 'keys-unavailable';

export interface KeyCheckOptions {
  fetch: FetchLike;
  jwksUri: string;
  /**
   * Whether a key-fetch failure may be passed over. True on cn and intl: the token came straight
   * from the token endpoint over TLS (OpenID Connect Core 3.1.3.7 allows skipping the check then),
   * and Alibaba documents no keys endpoint, so its absence must not block a sign-in.
   */
  tolerateMissingKeys: boolean;
  now?: () => number;
}

const CACHE_MS = 60 * 60_000;
const cache = new Map<string, { keys: JSONWebKeySet; fetchedAt: number }>();

/**
 * Checks an ID token's signature against the site's keys (cached an hour, fetched again once when
 * no key matches, for a rotation). A signature that does not verify is always refused.
 */
export async function checkIdTokenSignature(idToken: string, options: KeyCheckOptions): Promise<SignatureCheck> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(idToken).alg;
  } catch {
    throw invalid('its header cannot be read');
  }
  if (alg?.startsWith('HS')) return 'hmac';
  const now = options.now?.() ?? Date.now();
  for (const fresh of [false, true]) {
    const keys = await siteKeys(options, now, fresh);
    if (!keys) return unavailable(options, 'could not be fetched');
    try {
      await compactVerify(idToken, createLocalJWKSet(keys));
      return 'verified';
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) continue;
      if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
        return unavailable(options, 'hold no key this client can use for it');
      }
      throw invalid('its signature does not match the site’s published keys');
    }
  }
  return unavailable(options, 'hold no key for it');
}

async function siteKeys(options: KeyCheckOptions, now: number, fresh: boolean): Promise<JSONWebKeySet | undefined> {
  const held = cache.get(options.jwksUri);
  if (held && !fresh && now - held.fetchedAt < CACHE_MS) return held.keys;
  try {
    const response = await options.fetch(options.jwksUri, {
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as unknown;
    if (!isKeySet(body)) return undefined;
    cache.set(options.jwksUri, { keys: body, fetchedAt: now });
    return body;
  } catch {
    return undefined;
  }
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  return Array.isArray(keys) && keys.every((key) => typeof key === 'object' && key !== null);
}

function unavailable(options: KeyCheckOptions, why: string): SignatureCheck {
  if (options.tolerateMissingKeys) return 'keys-unavailable';
  throw new AppError(
    'ID_TOKEN_INVALID',
    `The ID token's signature could not be checked: the site's keys (${new URL(options.jwksUri).host}) ${why}. ` +
      "Nothing was stored. Check the profile's JWKS endpoint.",
  );
}

function invalid(why: string): AppError {
  return new AppError('ID_TOKEN_INVALID', `The ID token from the site was refused: ${why}. Nothing was stored.`);
}

/** For tests: forget cached keys. */
export function clearKeyCache(): void {
  cache.clear();
}
