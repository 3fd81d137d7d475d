import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoProvider, USER_STS_SCOPE, type DemoProvider } from '../../main/demo/provider/index.js';
import { createDemoTls, type DemoTls } from '../../main/demo/tls.js';
import { completeLoginOverHttp } from '../helpers/http-browser.js';

// Real HTTPS against the demo site, signed in through its login page, tokens through openid-client.

let tls: DemoTls;
let site: DemoProvider;
let agent: Agent;

beforeAll(async () => {
  tls = await createDemoTls();
  site = await startDemoProvider({ tls });
  agent = new Agent({ connect: { ca: tls.ca } });
});
afterAll(async () => {
  await site?.close();
  await agent?.close();
});
afterEach(() => site.resetFaults());

const REDIRECT = 'http://127.0.0.1:43123/cli/callback';

function clientFor(p: DemoProvider): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer: p.issuer,
      authorization_endpoint: p.endpoints.authorization,
      token_endpoint: p.endpoints.token,
      revocation_endpoint: p.endpoints.revocation,
      jwks_uri: p.endpoints.jwks,
    },
    p.clientId,
    { token_endpoint_auth_method: 'none' },
    oidc.None(),
  );
  config[oidc.customFetch] = (url, init) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  return config;
}

interface SignedIn {
  callback: URL;
  verifier: string;
  state: string;
}

async function authorize(
  p: DemoProvider,
  opts: { login?: string; params?: Record<string, string>; decision?: 'allow' | 'deny'; omitScope?: boolean } = {},
): Promise<SignedIn> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  // Sent as a conformant client would: the demo, like Alibaba, drops it (see the nonce test).
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(clientFor(p), {
    redirect_uri: REDIRECT,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    access_type: 'offline',
    ...(opts.omitScope ? {} : { scope: 'openid aliuid profile /internal/ram/usersts' }),
    ...opts.params,
  });
  const { finalUrl } = await completeLoginOverHttp(url.href, {
    ca: tls.ca,
    login: opts.login ?? 'alice',
    decision: opts.decision ?? 'allow',
    followCallback: false,
  });
  return { callback: new URL(finalUrl), verifier, state };
}

async function signIn(p: DemoProvider, opts: Parameters<typeof authorize>[1] = {}) {
  const s = await authorize(p, opts);
  return oidc.authorizationCodeGrant(clientFor(p), s.callback, {
    pkceCodeVerifier: s.verifier,
    expectedState: s.state,
    idTokenExpected: true,
  });
}

async function exchange(p: DemoProvider, accessToken?: string) {
  const response = await undiciFetch(p.endpoints.exchange, {
    method: 'POST',
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
    dispatcher: agent,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function postForm(url: string, fields: Record<string, string>) {
  const response = await undiciFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    dispatcher: agent,
  });
  return { status: response.status, text: await response.text() };
}

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Record<string, unknown>;
}

describe('sign-in (authorization code + PKCE)', () => {
  it('answers in Alibaba shape: code and state only, ID token for a RAM user, a refresh token offline', async () => {
    const s = await authorize(site);
    expect(s.callback.origin + s.callback.pathname).toBe(REDIRECT);
    expect([...s.callback.searchParams.keys()].sort()).toEqual(['code', 'state']);

    const before = { ...site.stats };
    const tokens = await oidc.authorizationCodeGrant(clientFor(site), s.callback, {
      pkceCodeVerifier: s.verifier,
      expectedState: s.state,
      idTokenExpected: true,
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope?.split(' ').sort()).toEqual(['/internal/ram/usersts', 'aliuid', 'openid', 'profile']);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: site.issuer,
      aud: site.clientId,
      sub: '2e0c9f41b7d35a86',
      aid: '1234567890123456',
      uid: '203456789012345678',
      type: 'user',
      name: 'Alice',
      upn: 'alice@1234567890123456.onaliyun.com',
    });
    expect(claims).not.toHaveProperty('login_name');
    // Alibaba documents no nonce parameter: the demo drops the one sent, as the live service would.
    expect(claims).not.toHaveProperty('nonce');
    expect(site.stats.codeGrants).toBe(before.codeGrants + 1);
    expect(site.stats.authorizations).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [
      'root',
      { type: 'account', login_name: 'owner@example.com', aid: '1234567890123456', uid: '1234567890123456' },
      ['name', 'upn'],
    ],
    [
      'role',
      { type: 'role', sub: '300123456789012345:demo-session', name: 'DemoAdminRole:demo-session' },
      ['upn', 'login_name'],
    ],
  ])('gives the %s principal its own claims', async (login, expected, absent) => {
    const claims = (await signIn(site, { login })).claims();
    expect(claims).toMatchObject(expected);
    for (const name of absent) expect(claims).not.toHaveProperty(name);
  });

  it('keeps claims to the scopes asked for, and gives no refresh token without access_type=offline', async () => {
    const tokens = await signIn(site, { params: { scope: 'openid', access_type: 'online' } });
    const claims = tokens.claims();
    expect(claims?.sub).toBe('2e0c9f41b7d35a86');
    expect(claims).not.toHaveProperty('aid');
    expect(claims).not.toHaveProperty('type');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('grants all of the application scopes when the request names none', async () => {
    const tokens = await signIn(site, { omitScope: true });
    expect(tokens.scope?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'aliuid', 'profile', USER_STS_SCOPE, '/acs/alidns']),
    );
    expect(tokens.claims()?.upn).toBe('alice@1234567890123456.onaliyun.com');
  });

  it('accepts prompt=admin_consent and the custom-scheme redirect', async () => {
    const s = await authorize(site, {
      params: { prompt: 'admin_consent', redirect_uri: 'alicloud-signin://callback' },
    });
    expect(s.callback.protocol).toBe('alicloud-signin:');
    expect(s.callback.searchParams.get('code')).toBeTruthy();
  });

  it('sends access_denied back when the person presses Deny', async () => {
    const s = await authorize(site, { decision: 'deny' });
    expect(s.callback.searchParams.get('error')).toBe('access_denied');
    expect(s.callback.searchParams.get('error_description')).toMatch(/denied/);
    expect(s.callback.searchParams.get('state')).toBe(s.state);
    const error = await rejection(
      oidc.authorizationCodeGrant(clientFor(site), s.callback, {
        pkceCodeVerifier: s.verifier,
        expectedState: s.state,
      }),
    );
    expect(error.error).toBe('access_denied');
  });

  it('shows the form again, with a message, after a wrong password', async () => {
    const url = new URL(site.endpoints.authorization);
    url.search = new URLSearchParams({
      client_id: site.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 'xyz',
    }).toString();
    await expect(completeLoginOverHttp(url.href, { ca: tls.ca, password: 'wrong' })).rejects.toThrow(/not correct/);
  });

  it('publishes its RS256 public key at /v1/keys, and nothing private', async () => {
    const response = await undiciFetch(site.endpoints.jwks, { dispatcher: agent });
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('refuses a redirect_uri that is not registered, without redirecting', async () => {
    const url = new URL(site.endpoints.authorization);
    url.search = new URLSearchParams({
      client_id: site.clientId,
      response_type: 'code',
      redirect_uri: 'http://localhost:1/x',
    }).toString();
    const response = await undiciFetch(url, { redirect: 'manual', dispatcher: agent });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('refresh tokens', () => {
  it('rotate on every use; a rotated-out token revokes the grant and is counted', async () => {
    const first = await signIn(site);
    const reuseBefore = site.stats.rotatedOutReuse;
    const second = await oidc.refreshTokenGrant(clientFor(site), first.refresh_token!);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).not.toMatch(/offline_access/);
    expect(second.claims()?.sub).toBe('2e0c9f41b7d35a86');

    const error = await rejection(oidc.refreshTokenGrant(clientFor(site), first.refresh_token!));
    expect(error.error).toBe('invalid_grant');
    expect((error.cause as Record<string, unknown>).requestId).toEqual(expect.any(String));
    expect(site.stats.rotatedOutReuse).toBe(reuseBefore + 1);
    // The whole grant is gone (RFC 9700 4.14.2), the newest refresh token included.
    expect((await rejection(oidc.refreshTokenGrant(clientFor(site), second.refresh_token!))).error).toBe(
      'invalid_grant',
    );
  });

  it('lets only one of two racing refreshes with the same token through', async () => {
    const tokens = await signIn(site);
    const reuseBefore = site.stats.rotatedOutReuse;
    const refreshesBefore = site.stats.refreshGrants;
    const results = await Promise.allSettled([
      oidc.refreshTokenGrant(clientFor(site), tokens.refresh_token!),
      oidc.refreshTokenGrant(clientFor(site), tokens.refresh_token!),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(site.stats.refreshGrants).toBe(refreshesBefore + 1);
    expect(site.stats.rotatedOutReuse).toBe(reuseBefore + 1);
  });

  it('stop working once revoked, and so do the STS credentials they led to', async () => {
    const tokens = await signIn(site);
    const sts = await exchange(site, tokens.access_token);
    expect(sts.status).toBe(200);
    const before = site.stats.revocations;
    await oidc.tokenRevocation(clientFor(site), tokens.refresh_token!);
    expect(site.stats.revocations).toBe(before + 1);
    expect(site.sts.lookup(String(sts.body.accessKeyId))).toBeUndefined();
    expect((await rejection(oidc.refreshTokenGrant(clientFor(site), tokens.refresh_token!))).error).toBe(
      'invalid_grant',
    );
    expect((await exchange(site, tokens.access_token)).body.error).toBe('invalid_token');
  });
});

describe('/v1/exchange', () => {
  it('trades an access token for STS credentials', async () => {
    const tokens = await signIn(site);
    const before = site.stats.exchanges;
    const { status, body } = await exchange(site, tokens.access_token);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      'accessKeyId',
      'accessKeySecret',
      'expiration',
      'requestId',
      'securityToken',
    ]);
    expect(body.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const issued = site.sts.lookup(String(body.accessKeyId));
    expect(issued).toMatchObject({
      subject: '2e0c9f41b7d35a86',
      accountId: '1234567890123456',
      securityToken: body.securityToken,
    });
    expect(site.stats.exchanges).toBe(before + 1);
  });

  it('refuses a token without the usersts scope with 403 insufficient_scope', async () => {
    const tokens = await signIn(site, { params: { scope: 'openid aliuid' } });
    const { status, body } = await exchange(site, tokens.access_token);
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: 'insufficient_scope', requestId: expect.any(String) });
  });

  it('answers invalid_token for an unknown or missing token, taking turns with 400, 401 and 403 (only the body is documented)', async () => {
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await exchange(site, i === 1 ? undefined : 'not-a-token'));
    for (const answer of answers) expect(answer.body).toMatchObject({ error: 'invalid_token' });
    expect(answers.map((a) => a.status).sort()).toEqual([400, 401, 403]);
    site.faults.exchangeTokenErrorStatus = 401;
    expect(await exchange(site)).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
  });

  it('answers expired_token once the access token has expired', async () => {
    const shortLived = await startDemoProvider({ tls, accessTokenTtl: 1 });
    try {
      const tokens = await signIn(shortLived);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const { status, body } = await exchange(shortLived, tokens.access_token);
      expect([400, 401, 403]).toContain(status);
      expect(body).toEqual({
        error: 'expired_token',
        error_description: 'The access token is expired.',
        requestId: expect.any(String),
      });
    } finally {
      await shortLived.close();
    }
  });
});

describe('fault switches', () => {
  async function codeRequest() {
    const s = await authorize(site);
    return {
      grant_type: 'authorization_code',
      code: s.callback.searchParams.get('code') ?? '',
      client_id: site.clientId,
      redirect_uri: REDIRECT,
      code_verifier: s.verifier,
    };
  }

  it('tokenStatus500 and tokenMalformedJson answer without using up the code', async () => {
    const fields = await codeRequest();
    site.faults.tokenStatus500 = true;
    const failed = await postForm(site.endpoints.token, fields);
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.text)).toMatchObject({ error: 'server_error', requestId: expect.any(String) });
    site.resetFaults();
    site.faults.tokenMalformedJson = true;
    const garbled = await postForm(site.endpoints.token, fields);
    expect(garbled.status).toBe(200);
    expect(() => JSON.parse(garbled.text)).toThrow();
    site.resetFaults();
    expect((await postForm(site.endpoints.token, fields)).status).toBe(200);
  });

  it('expiresInAsString sends "3600" and tokenDelayMs delays the answer', async () => {
    const fields = await codeRequest();
    site.faults.expiresInAsString = true;
    site.faults.tokenDelayMs = 300;
    const started = Date.now();
    const { status, text } = await postForm(site.endpoints.token, fields);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ expires_in: '3600', token_type: 'Bearer' });
  });

  it('wrongIssuer signs ID tokens another issuer, which openid-client rejects', async () => {
    const s = await authorize(site);
    site.faults.wrongIssuer = true;
    const error = await rejection(
      oidc.authorizationCodeGrant(clientFor(site), s.callback, {
        pkceCodeVerifier: s.verifier,
        expectedState: s.state,
      }),
    );
    expect(error.code).toBe('OAUTH_JWT_CLAIM_COMPARISON_FAILED');
    expect((error.cause as Error).message).toMatch(/"iss"/);
  });

  it('refuseRefresh answers invalid_grant and leaves the refresh token usable', async () => {
    const tokens = await signIn(site);
    site.faults.refuseRefresh = true;
    expect((await rejection(oidc.refreshTokenGrant(clientFor(site), tokens.refresh_token!))).error).toBe(
      'invalid_grant',
    );
    site.resetFaults();
    const reuseBefore = site.stats.rotatedOutReuse;
    expect((await oidc.refreshTokenGrant(clientFor(site), tokens.refresh_token!)).access_token).toEqual(
      expect.any(String),
    );
    expect(site.stats.rotatedOutReuse).toBe(reuseBefore);
  });

  it('exchangeStatus overrides the exchange; revokeStatus500 revokes nothing', async () => {
    const tokens = await signIn(site);
    site.faults.exchangeStatus = 503;
    expect(await exchange(site, tokens.access_token)).toMatchObject({ status: 503, body: { error: 'server_error' } });
    site.faults.revokeStatus500 = true;
    const revoked = await postForm(site.endpoints.revocation, {
      token: tokens.refresh_token!,
      client_id: site.clientId,
    });
    expect(revoked.status).toBe(500);
    expect(JSON.parse(revoked.text)).toMatchObject({ error: 'server_error', requestId: expect.any(String) });
    site.resetFaults();
    expect((await exchange(site, tokens.access_token)).status).toBe(200);
    expect((await oidc.refreshTokenGrant(clientFor(site), tokens.refresh_token!)).access_token).toEqual(
      expect.any(String),
    );
  });
});
