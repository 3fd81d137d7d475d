import * as oidc from 'openid-client';
import { USER_STS_SCOPE, type DemoProvider } from '../../main/demo/provider/index.js';
import { oidcConfiguration } from '../../main/services/auth/oidc-config.js';
import { fromOidcError } from '../../main/services/auth/oidc-errors.js';
import type { FetchLike } from '../../main/services/net/http.js';
import type { Profile } from '../../main/services/profiles/schema.js';
import type { AccessGrant } from '../../main/services/tokens/token-service.js';
import { completeLoginOverHttp } from './http-browser.js';

const STS_SCOPES = ['openid', 'aliuid', 'profile', USER_STS_SCOPE];

/** A custom-site profile on the demo provider, as `profile add --site custom` would make it. */
export function demoProfile(site: DemoProvider, more: Partial<Profile> = {}): Profile {
  const now = new Date().toISOString();
  return {
    id: `p${Math.random().toString(36).slice(2, 12)}`,
    name: 'demo',
    site: 'custom',
    client: {
      clientId: site.clientId,
      scopes: STS_SCOPES,
      redirect: { kind: 'loopback', ports: 0, callbackPath: '/cli/callback' },
    },
    endpoints: site.endpoints,
    region: 'cn-hangzhou',
    status: 'signed-in',
    brokerEnabled: true,
    createdAt: now,
    updatedAt: now,
    ...more,
  };
}

/**
 * The access-token side of a signed-in profile for these tests: a real sign-in on the demo site's
 * login page and real refresh grants, held in memory (what TokenService does, minus the keychain
 * and the profile store). `optimistic` keeps handing out the held access token even past its
 * expiry, as a process whose clock runs behind would.
 */
export class DemoSession {
  grant: AccessGrant | undefined;
  refreshToken: string | undefined;
  renewals = 0;
  readonly #config: oidc.Configuration;

  constructor(
    readonly profile: Profile,
    readonly ca: string,
    fetch: FetchLike,
    readonly options: { optimistic?: boolean } = {},
  ) {
    this.#config = oidcConfiguration(profile, fetch);
  }

  async signIn(login = 'alice'): Promise<this> {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(this.#config, {
      redirect_uri: 'http://127.0.0.1:43123/cli/callback',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      access_type: 'offline',
      ...(this.profile.client.scopes ? { scope: this.profile.client.scopes.join(' ') } : {}),
    });
    const { finalUrl } = await completeLoginOverHttp(url.href, { ca: this.ca, login, followCallback: false });
    const tokens = await oidc.authorizationCodeGrant(this.#config, new URL(finalUrl), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      idTokenExpected: true,
    });
    this.#keep(tokens);
    return this;
  }

  /** The TokenService surface StsService uses. */
  readonly tokens = {
    accessToken: async (_profileId: string, minValidityMs = 60_000): Promise<AccessGrant> => {
      const held = this.grant;
      if (held && (this.options.optimistic || held.expiresAt - Date.now() > minValidityMs)) return held;
      return this.#refresh();
    },
    renewAccessToken: async (): Promise<AccessGrant> => {
      this.renewals += 1;
      return this.#refresh();
    },
  };

  /** Revokes the whole grant at the site (what `logout` does). */
  async revoke(): Promise<void> {
    if (this.refreshToken) await oidc.tokenRevocation(this.#config, this.refreshToken);
  }

  async #refresh(): Promise<AccessGrant> {
    if (!this.refreshToken) throw new Error('not signed in');
    try {
      this.#keep(await oidc.refreshTokenGrant(this.#config, this.refreshToken));
    } catch (error) {
      throw fromOidcError(error, 'refresh');
    }
    return this.grant!;
  }

  #keep(tokens: oidc.TokenEndpointResponse): void {
    if (tokens.refresh_token) this.refreshToken = tokens.refresh_token;
    this.grant = {
      accessToken: tokens.access_token,
      expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
      scope: tokens.scope,
    };
  }
}
