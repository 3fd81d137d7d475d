/**
 * What Alibaba's official clients send, request by request, written down as data (in our words,
 * read from their source; no code copied). The conformance test compares every request this app
 * sends against these entries: a field added or missing is a failure that names it.
 *
 * `fields` are query parameters (GET) or form fields (POST). `fixed` pins values that do not vary.
 * `ours` lists what this app adds on purpose, each with its reason; `optional` what may be absent.
 */
export interface OfficialRequest {
  name: string;
  /** Where the official behaviour is written: repository, file and function, or document. */
  source: string;
  method: 'GET' | 'POST';
  /** Host and path on the cn site (the intl site differs only in host names). */
  url: string;
  fields: readonly string[];
  optional?: readonly string[];
  ours?: Readonly<Record<string, string>>;
  fixed?: Readonly<Record<string, string>>;
  /** Headers that matter, lower-case, with their value or a pattern. */
  headers: Readonly<Record<string, string | RegExp>>;
  /** Headers the official client sends that this app leaves out, with the reason. */
  headersLeftOut?: Readonly<Record<string, string>>;
  body: 'form' | 'empty' | 'none';
}

export const OFFICIAL_REQUESTS: readonly OfficialRequest[] = [
  {
    name: 'authorization request (the browser)',
    source: 'aliyun/aliyun-cli config/configure.go, startOauthFlow: the oauthUrl it prints and opens',
    method: 'GET',
    url: 'https://signin.aliyun.com/oauth2/v1/auth',
    fields: ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method'],
    optional: ['scope', 'prompt'],
    ours: {
      access_type:
        'Alibaba documents access_type=offline as the way to ask for a refresh token; the CLI gets one without it today, and the issue asks for it',
    },
    fixed: { response_type: 'code', client_id: '4038181954557748008', code_challenge_method: 'S256' },
    headers: {},
    body: 'none',
  },
  {
    name: 'code for tokens',
    source: 'aliyun/aliyun-cli config/configure.go, startOauthFlow: the POST to {oauth}/v1/token after the callback',
    method: 'POST',
    url: 'https://oauth.aliyun.com/v1/token',
    fields: ['grant_type', 'code', 'client_id', 'redirect_uri', 'code_verifier'],
    fixed: { grant_type: 'authorization_code', client_id: '4038181954557748008' },
    headers: { 'content-type': /^application\/x-www-form-urlencoded/ },
    body: 'form',
  },
  {
    name: 'refresh',
    source:
      'aliyun/aliyun-cli config/configure.go, tryRefreshOauthToken (credentials-go providers/oauth.go tryRefreshOauthToken also sends a Timestamp field, which the CLI does not)',
    method: 'POST',
    url: 'https://oauth.aliyun.com/v1/token',
    fields: ['grant_type', 'refresh_token', 'client_id'],
    fixed: { grant_type: 'refresh_token', client_id: '4038181954557748008' },
    headers: { 'content-type': /^application\/x-www-form-urlencoded/ },
    body: 'form',
  },
  {
    name: 'exchange for STS credentials',
    source:
      'aliyun/aliyun-cli config/configure.go, exchangeFromOAuth; aliyun/credentials-go credentials/providers/oauth.go, getCredentials',
    method: 'POST',
    url: 'https://oauth.aliyun.com/v1/exchange',
    fields: [],
    headers: { authorization: /^Bearer \S+$/, 'content-type': 'application/json' },
    headersLeftOut: { 'user-agent': 'the CLI says aliyun-cli; this app does not pretend to be the CLI' },
    body: 'empty',
  },
  {
    name: 'revoke at sign-out',
    source:
      'Alibaba RAM docs "Access Alibaba Cloud APIs from a web application" (seed 001), Revoke a refresh token: token and client_id; the official CLI never revokes',
    method: 'POST',
    url: 'https://oauth.aliyun.com/v1/revoke',
    fields: ['token', 'client_id'],
    optional: ['token_type_hint'],
    fixed: { client_id: '4038181954557748008' },
    headers: { 'content-type': /^application\/x-www-form-urlencoded/ },
    body: 'form',
  },
  {
    name: 'signing keys (ID token signature)',
    source:
      "Alibaba's INTL OpenID discovery document names jwks_uri {oauth}/v1/keys; the official CLI never reads the ID token, so it never asks",
    method: 'GET',
    url: 'https://oauth.aliyun.com/v1/keys',
    fields: [],
    headers: {},
    body: 'none',
  },
  {
    name: 'OSS ListBuckets (GetService)',
    source:
      'aliyun/alibabacloud-oss-go-sdk-v2 oss/api_op_service.go ListBuckets (query marker, max-keys, prefix; header x-oss-resource-group-id) and oss/signer/v4.go (OSS4-HMAC-SHA256, x-oss-date, x-oss-content-sha256 UNSIGNED-PAYLOAD, x-oss-security-token)',
    method: 'GET',
    url: 'https://oss-cn-hangzhou.aliyuncs.com/',
    fields: ['max-keys'],
    optional: ['marker', 'prefix'],
    headers: {
      authorization:
        /^OSS4-HMAC-SHA256 Credential=STS\.[^/]+\/\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request,(?:AdditionalHeaders=[^,]+,)?Signature=[0-9a-f]{64}$/,
      'x-oss-date': /^\d{8}T\d{6}Z$/,
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-oss-security-token': /\S+/,
    },
    headersLeftOut: {
      'content-type':
        'the Go SDK sets application/octet-stream on every operation; a GET without a body needs none, and it is signed only when sent',
    },
    body: 'none',
  },
  {
    name: 'console sign-in token (federation)',
    source:
      'Alibaba RAM docs, "Use STS to log on to the console" (GetSigninToken with TicketType=mini, no signature), as in the protocol notes',
    method: 'GET',
    url: 'https://signin.aliyun.com/federation',
    fields: ['Action', 'AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'TicketType'],
    fixed: { Action: 'GetSigninToken', TicketType: 'mini' },
    headers: {},
    body: 'none',
  },
];
