import { createHash, type KeyObject } from 'node:crypto';
import type { StsRegistry } from '../sts-registry.js';
import { discardBody, newRequestId, sendError, sleep } from './http-util.js';
import { resignJwt } from './jws.js';
import type { KoaContext, Middleware, OidcModule, OidcProvider } from './oidc-types.js';
import type { ProviderFaults, ProviderStats } from './types.js';

/** Alibaba's paths: the sign-in host has the first, the OAuth host the others. */
export const PATHS = {
  authorization: '/oauth2/v1/auth',
  token: '/v1/token',
  revocation: '/v1/revoke',
  jwks: '/v1/keys',
} as const;

const WRONG_ISSUER = 'https://wrong-issuer.invalid';

export interface ShapeDeps {
  /** `https://127.0.0.1:PORT` */
  issuerOrigin: string;
  /** Keep `nonce` (a conformant OpenID provider); otherwise drop it as Alibaba documents none. */
  conformant: boolean;
  faults: ProviderFaults;
  stats: ProviderStats;
  sts: StsRegistry;
  /** Every scope granted when a request names none (the client's registered scopes). */
  defaultScope: string;
  /** The ID token signing key, for the faults that re-sign ID tokens. */
  signingKey: KeyObject;
  /** The secret behind HS256 ID tokens (the idTokenHs256 fault): never handed to the client. */
  hs256Secret: Buffer;
}

/**
 * Before oidc-provider's router: count authorization requests, grant all of the client's scopes
 * when `scope` is missing (Alibaba does), and drop `nonce`, which Alibaba's documented parameters
 * do not have (so its ID tokens carry none), unless the demo plays a conformant provider. After
 * it: drop the RFC 9207 `iss` from the redirect back to the app, which Alibaba's callback does not
 * carry (`?code=...&state=...` only).
 */
export function authorizationShape(deps: ShapeDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path === PATHS.authorization && ctx.method === 'GET') {
      deps.stats.authorizations += 1;
      const query = new URLSearchParams(ctx.querystring);
      if (!query.get('scope')) query.set('scope', deps.defaultScope);
      if (!deps.conformant) query.delete('nonce');
      ctx.querystring = query.toString();
    }
    await next();
    if (!ctx.path.startsWith(PATHS.authorization)) return;
    // Only the redirect back to the application, never the site's own redirects.
    const url = parseUrl(ctx.response.get('Location'));
    if (url && url.origin !== deps.issuerOrigin && url.searchParams.has('iss')) {
      url.searchParams.delete('iss');
      ctx.set('Location', url.href);
    }
  };
}

/** `/v1/token`: faults, stats, Alibaba's response shape, and rotated-out refresh token reuse. */
export function tokenShape(deps: ShapeDeps, ledger: RefreshLedger): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== PATHS.token || ctx.method !== 'POST') return next();
    const { faults, stats } = deps;
    if (faults.tokenDelayMs > 0) await sleep(faults.tokenDelayMs);
    // These faults answer before the code or refresh token is looked at, so a retry can work.
    if (faults.tokenStatus500) {
      discardBody(ctx.req);
      return sendError(ctx, 500, 'server_error', 'The service is temporarily unavailable (injected fault).');
    }
    if (faults.tokenMalformedJson) {
      discardBody(ctx.req);
      ctx.status = 200;
      ctx.type = 'application/json';
      ctx.body = '{"access_token":"at-trunc';
      return;
    }

    await next();

    const params = ctx.oidc?.params;
    if (params?.grant_type === 'refresh_token' && typeof params.refresh_token === 'string') {
      if (ledger.wasRotatedOut(params.refresh_token) && ctx.state[ROTATED_HERE] !== true) stats.rotatedOutReuse += 1;
    }
    const body = ctx.body;
    if (!isRecord(body)) return;
    if (typeof body.error === 'string') {
      body.requestId = newRequestId();
      return;
    }
    if (ctx.status !== 200) return;
    if (params?.grant_type === 'authorization_code') stats.codeGrants += 1;
    if (params?.grant_type === 'refresh_token') stats.refreshGrants += 1;
    if (typeof body.scope === 'string') {
      // offline_access is how oidc-provider models access_type=offline; Alibaba never shows it.
      body.scope = body.scope
        .split(' ')
        .filter((s) => s !== 'offline_access')
        .join(' ');
    }
    if (typeof body.id_token === 'string') body.id_token = reshapeIdToken(body.id_token, deps);
    if (faults.noIdToken) delete body.id_token;
    if (faults.expiresInAsString && typeof body.expires_in === 'number') body.expires_in = String(body.expires_in);
  };
}

/** What Alibaba's ID tokens may look like where its documents leave room: see the faults. */
function reshapeIdToken(idToken: string, deps: ShapeDeps): string {
  const { faults } = deps;
  const issuer = faults.wrongIssuer ? WRONG_ISSUER : faults.idTokenIssuer;
  const reshape = issuer || faults.minimalIdToken || faults.idTokenHs256 || faults.idTokenNonce !== undefined;
  const key = faults.idTokenHs256 ? { hs256: deps.hs256Secret } : deps.signingKey;
  const token = !reshape
    ? idToken
    : resignJwt(idToken, key, (claims) => {
        if (issuer) claims.iss = issuer;
        if (faults.idTokenNonce !== undefined) claims.nonce = faults.idTokenNonce;
        if (faults.minimalIdToken) {
          for (const name of Object.keys(claims)) if (!REQUIRED_CLAIMS.has(name)) delete claims[name];
        }
      });
  return faults.idTokenBadSignature ? breakSignature(token) : token;
}

function breakSignature(jwt: string): string {
  const signature = Buffer.from(jwt.slice(jwt.lastIndexOf('.') + 1), 'base64url');
  signature[0] = (signature[0] ?? 0) ^ 0xff;
  return `${jwt.slice(0, jwt.lastIndexOf('.') + 1)}${signature.toString('base64url')}`;
}

/** `/v1/keys`: the jwksStatus fault (the key set unreachable). */
export function keysShape(deps: ShapeDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== PATHS.jwks || deps.faults.jwksStatus === undefined) return next();
    return sendError(ctx, deps.faults.jwksStatus, 'server_error', 'The key set is unavailable (injected fault).');
  };
}

/** What OpenID Connect requires of an ID token (and `nonce`, which is kept when present). */
const REQUIRED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nonce']);

/** `/v1/revoke`: the revoke500 fault, stats, and ending the subject's STS credentials. */
export function revocationShape(deps: ShapeDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== PATHS.revocation || ctx.method !== 'POST') return next();
    if (deps.faults.revokeStatus500) {
      discardBody(ctx.req);
      return sendError(ctx, 500, 'server_error', 'The service is temporarily unavailable (injected fault).');
    }
    await next();
    if (isRecord(ctx.body) && typeof ctx.body.error === 'string') {
      ctx.body.requestId = newRequestId();
      return;
    }
    if (ctx.status !== 200) return;
    deps.stats.revocations += 1;
    const entities = ctx.oidc?.entities;
    const token = entities?.RefreshToken ?? entities?.AccessToken;
    // oidc-provider ends the grant (and its tokens); the STS credentials it led to end too.
    if (token && token.clientId === ctx.oidc?.client?.clientId) deps.sts.revokeSubject(token.accountId);
  };
}

const ROTATED_HERE = 'demoRotatedHere';

/**
 * Remembers (hashed) every refresh token rotated out. oidc-provider revokes the grant when a
 * consumed refresh token comes back, but two requests racing with the same token both pass its
 * check: the `rotateRefreshToken` hook below catches the second one, treats it as the reuse it is
 * (RFC 9700 4.14.2) and revokes the grant too.
 */
export class RefreshLedger {
  readonly #rotated = new Set<string>();
  readonly #faults: ProviderFaults;
  #oidc: { module: OidcModule; provider: OidcProvider } | undefined;

  constructor(faults: ProviderFaults) {
    this.#faults = faults;
  }

  attach(module: OidcModule, provider: OidcProvider): void {
    this.#oidc = { module, provider };
  }

  wasRotatedOut(refreshToken: string): boolean {
    return this.#rotated.has(hash(refreshToken));
  }

  /** The `rotateRefreshToken` option: always rotate, but never the same token twice. */
  readonly rotate = async (ctx: KoaContext): Promise<boolean> => {
    const oidc = this.#oidc;
    if (!oidc) throw new Error('RefreshLedger used before attach()');
    const { InvalidGrant } = oidc.module.errors;
    // Runs after the token is validated and before it is consumed: refusing here leaves it usable.
    if (this.#faults.refuseRefresh) throw new InvalidGrant('The refresh token is invalid (injected fault).');
    const value = ctx.oidc?.params?.refresh_token;
    if (typeof value !== 'string') return true;
    const key = hash(value);
    if (this.#rotated.has(key)) {
      const grantId = ctx.oidc?.entities.RefreshToken?.grantId;
      if (grantId) {
        await oidc.provider.RefreshToken.revokeByGrantId(grantId);
        await (await oidc.provider.Grant.find(grantId))?.destroy();
      }
      throw new InvalidGrant('refresh token already used');
    }
    this.#rotated.add(key);
    ctx.state[ROTATED_HERE] = true;
    return true;
  };
}

function hash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && !Array.isArray(value);
}
