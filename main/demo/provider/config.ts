import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { RefreshLedger } from './alibaba-shape.js';
import { PATHS } from './alibaba-shape.js';
import { USER_STS_SCOPE } from './exchange.js';
import { INTERACTION_PATH } from './interaction.js';
import { renderErrorPage } from './login-page.js';
import type { KoaContext, OidcModule, OidcToken } from './oidc-types.js';
import type { DemoStore } from './store.js';
import type { DemoUser } from './types.js';
import { userClaims } from './users.js';

/** Seed 000's identity scopes, the exchange scope, and a few resource scopes. */
export const CLIENT_SCOPES = [
  'openid',
  'aliuid',
  'profile',
  USER_STS_SCOPE,
  '/acs/scim',
  '/acs/alidns',
  '/acs/alimt',
  '/acs/mcp-server',
] as const;

/** Loopback redirects accept any port (RFC 8252 7.3; oidc-provider does it for native clients). */
const REDIRECT_URIS = ['http://127.0.0.1/cli/callback', 'http://127.0.0.1/callback', 'alicloud-signin://callback'];

export interface SigningKey {
  jwk: Record<string, unknown>;
  privateKey: KeyObject;
}

/** A fresh RS256 key for ID tokens; nothing signed by an earlier run verifies. */
export function createSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };
  return { jwk, privateKey };
}

export interface ConfigDeps {
  module: OidcModule;
  users: readonly DemoUser[];
  clientId: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  signingKey: SigningKey;
  store: DemoStore;
  ledger: RefreshLedger;
}

interface ClientLike {
  clientId: string;
  grantTypeAllowed(type: string): boolean;
}

/** oidc-provider's configuration, shaped like Alibaba's OAuth service. */
export function buildConfiguration(deps: ConfigDeps): Record<string, unknown> {
  const { module, users } = deps;
  const policy = module.interactionPolicy.base();
  // Alibaba's prompt=admin_consent: accepted, and answered by the same consent page.
  policy.add(new module.interactionPolicy.Prompt({ name: 'admin_consent', requestable: true }));

  return {
    adapter: deps.store.adapterFactory,
    clients: [
      {
        client_id: deps.clientId,
        client_name: 'alicloud-signin (demo native application)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: REDIRECT_URIS,
        scope: CLIENT_SCOPES.join(' '),
      },
    ],
    jwks: { keys: [deps.signingKey.jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // offline_access stays internal: it is how access_type=offline reaches the refresh token policy.
    scopes: [...CLIENT_SCOPES, 'offline_access'],
    claims: { openid: ['sub'], aliuid: ['aid', 'uid'], profile: ['type', 'name', 'upn', 'login_name'] },
    // Put the scopes' claims in the ID token itself, as Alibaba does (it has no userinfo endpoint).
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    async findAccount(_ctx: unknown, sub: string) {
      const user = users.find((u) => u.sub === sub);
      if (!user) return undefined;
      return { accountId: user.sub, claims: async () => userClaims(user) };
    },
    extraParams: {
      // Alibaba's access_type=offline asks for a refresh token. This runs after oidc-provider's own
      // scope check, which would have dropped offline_access without prompt=consent.
      async access_type(ctx: KoaContext, value: unknown, client: ClientLike) {
        const params = ctx.oidc?.params;
        if (value !== 'offline' || !params || !client.grantTypeAllowed('refresh_token')) return;
        const scopes = new Set(typeof params.scope === 'string' ? params.scope.split(' ') : []);
        scopes.add('offline_access');
        params.scope = [...scopes].join(' ');
      },
    },
    async issueRefreshToken(_ctx: unknown, client: ClientLike, code: OidcToken) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
    },
    rotateRefreshToken: deps.ledger.rotate,
    // Tokens live their own TTL, not the browser session's.
    expiresWithSession: async () => false,
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: ClientLike, token: OidcToken) =>
          token.clientId === client.clientId,
      },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
    },
    interactions: {
      policy,
      url: async (_ctx: unknown, interaction: { uid: string }) => `${INTERACTION_PATH}${interaction.uid}`,
    },
    routes: { ...PATHS },
    ttl: {
      AccessToken: deps.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: deps.refreshTokenTtl,
      Grant: deps.refreshTokenTtl,
      Interaction: 600,
      Session: 24 * 60 * 60,
    },
    clientBasedCORS: () => false,
    async renderError(ctx: KoaContext, out: { error?: string; error_description?: string }) {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = renderErrorPage(out.error ?? 'error', out.error_description ?? 'The request could not be completed.');
    },
  };
}
