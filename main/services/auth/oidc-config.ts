import * as oidc from 'openid-client';
import type { FetchLike } from '../net/http.js';
import type { Profile } from '../profiles/schema.js';
import { endpointsOf } from './sites.js';

/**
 * An openid-client configuration built from the site table (Alibaba publishes no discovery
 * document). The issuer is the `iss` the site signs, even where endpoints live on other hosts.
 */
export function oidcConfiguration(
  profile: Pick<Profile, 'site' | 'endpoints' | 'name' | 'client'>,
  fetch: FetchLike,
): oidc.Configuration {
  const endpoints = endpointsOf(profile);
  const config = new oidc.Configuration(
    {
      issuer: endpoints.issuer,
      authorization_endpoint: endpoints.authorization,
      token_endpoint: endpoints.token,
      ...(endpoints.revocation ? { revocation_endpoint: endpoints.revocation } : {}),
      jwks_uri: endpoints.jwks,
    },
    profile.client.clientId,
    { token_endpoint_auth_method: 'none' },
    oidc.None(),
  );
  config[oidc.customFetch] = (url, options) => fetch(url, options as RequestInit);
  return config;
}
