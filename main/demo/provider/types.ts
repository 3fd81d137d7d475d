import type { StsRegistry } from '../sts-registry.js';

/** A person (or role session) who can sign in on the demo page. */
export interface DemoUser {
  login: string;
  password: string;
  /** The OpenID subject; for a role `<RoleID:RoleSessionName>`. */
  sub: string;
  /** The Alibaba Cloud account id the principal belongs to. */
  aid: string;
  /** The principal's own id (account id, RAM user id or RAM role id). */
  uid: string;
  type: 'account' | 'user' | 'role';
  /** RAM users and roles (a role's is `<RoleName:RoleSessionName>`). */
  name?: string;
  /** RAM users only. */
  upn?: string;
  /** Accounts only (the `login_name` claim). */
  loginName?: string;
}

/** Switches that make the demo site misbehave on purpose; all off by default. */
export interface ProviderFaults {
  /** `/v1/token` answers 500 with an Alibaba error body, without touching the code or refresh token. */
  tokenStatus500: boolean;
  /** `/v1/token` answers 200 with a body that is not JSON, without touching the code or refresh token. */
  tokenMalformedJson: boolean;
  /** `/v1/token` waits this long before doing anything. */
  tokenDelayMs: number;
  /** ID tokens carry an `iss` that is not the issuer (still correctly signed). */
  wrongIssuer: boolean;
  /**
   * ID tokens name this issuer instead (still correctly signed): Alibaba's INTL site is documented
   * under both `https://oauth.alibabacloud.com` and `https://oauth.aliyun.com`.
   */
  idTokenIssuer?: string;
  /** ID tokens carry only the claims OpenID requires (no aid, uid, type, name, upn, login_name). */
  minimalIdToken: boolean;
  /** ID tokens are HS256, keyed by a secret the public client does not have (as seed 001's example). */
  idTokenHs256: boolean;
  /** The token response has no `id_token` at all (undocumented when no scope is sent). */
  noIdToken: boolean;
  /** ID tokens carry this `nonce`, whatever the request sent. */
  idTokenNonce?: string;
  /** ID tokens' signatures are broken (one byte flipped). */
  idTokenBadSignature: boolean;
  /** `/v1/keys` answers this status instead of the key set. */
  jwksStatus?: number;
  /** Refresh requests fail with `invalid_grant`; the refresh token stays usable. */
  refuseRefresh: boolean;
  /** `expires_in` is sent as a string ("3600"), as in one of Alibaba's examples. */
  expiresInAsString: boolean;
  /** `/v1/exchange` answers this status with an error body instead of credentials. */
  exchangeStatus?: number;
  /**
   * The HTTP status of an `expired_token` / `invalid_token` answer from `/v1/exchange`. Alibaba
   * documents the body only, so by default the demo takes turns with 400, 401 and 403.
   */
  exchangeTokenErrorStatus?: number;
  /** `/v1/revoke` answers 500 and revokes nothing. */
  revokeStatus500: boolean;
}

/** What the demo site has done, for tests to assert. */
export interface ProviderStats {
  /** Authorization requests received (`/oauth2/v1/auth`, not counting resumes after the login page). */
  authorizations: number;
  /** Successful authorization_code grants. */
  codeGrants: number;
  /** Successful refresh_token grants. */
  refreshGrants: number;
  /** STS credentials issued by `/v1/exchange`. */
  exchanges: number;
  /** Successful `/v1/revoke` calls. */
  revocations: number;
  /** Refresh requests that presented a refresh token already rotated out (or being rotated). */
  rotatedOutReuse: number;
}

interface DemoEndpoints {
  issuer: string;
  authorization: string;
  token: string;
  revocation: string;
  exchange: string;
  jwks: string;
}

export interface DemoProvider {
  /** Exactly the `iss` of its ID tokens: `https://127.0.0.1:PORT` unless the options named one. */
  issuer: string;
  /** `https://127.0.0.1:PORT`: where it listens. */
  origin: string;
  /** Full URLs. */
  endpoints: DemoEndpoints;
  /** The public native client (PKCE, no secret). */
  clientId: string;
  /** PEM of the CA that signed the server certificate: trust it to reach the site. */
  ca: string;
  /** Mutable at run time. */
  faults: ProviderFaults;
  stats: ProviderStats;
  /** Shared with the demo OSS server. */
  sts: StsRegistry;
  users: DemoUser[];
  resetFaults(): void;
  close(): Promise<void>;
}

export interface DemoProviderOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /**
   * The `iss` the site signs. Default: its own origin. A test that plays Alibaba's real site
   * (reached through a tunnel proxy) sets `https://oauth.aliyun.com` or the INTL one.
   */
  issuer?: string;
  /**
   * Echo `nonce` in ID tokens, as a conformant OpenID provider does. Off by default: Alibaba
   * documents no `nonce` parameter, so the demo drops it as the live service would.
   */
  conformant?: boolean;
  host?: '127.0.0.1';
  users?: DemoUser[];
  clientId?: string;
  /** Seconds; default 3600. */
  accessTokenTtl?: number;
  /** Seconds; default 2592000 (30 days). */
  refreshTokenTtl?: number;
  /** Lifetime of the STS credentials `/v1/exchange` issues, seconds; default 3600. */
  stsTtl?: number;
  sts?: StsRegistry;
  /** Reuse a certificate (for example one shared with the demo OSS server); default a fresh CA. */
  tls?: { key: string; cert: string; ca: string };
}

export function defaultFaults(): ProviderFaults {
  return {
    tokenStatus500: false,
    tokenMalformedJson: false,
    tokenDelayMs: 0,
    wrongIssuer: false,
    idTokenIssuer: undefined,
    minimalIdToken: false,
    idTokenHs256: false,
    noIdToken: false,
    idTokenNonce: undefined,
    idTokenBadSignature: false,
    jwksStatus: undefined,
    refuseRefresh: false,
    expiresInAsString: false,
    exchangeStatus: undefined,
    exchangeTokenErrorStatus: undefined,
    revokeStatus500: false,
  };
}

export function emptyStats(): ProviderStats {
  return { authorizations: 0, codeGrants: 0, refreshGrants: 0, exchanges: 0, revocations: 0, rotatedOutReuse: 0 };
}
