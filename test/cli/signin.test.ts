import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  customProfileArgs,
  dataDirText,
  HAS_KEYRING,
  keychainLookup,
  profileId,
  startFixture,
  type Fixture,
} from '../helpers/signin-fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
  const added = await fx.cli(customProfileArgs(fx.provider, 'demo'));
  expect(added.code, added.stderr).toBe(0);
});
afterAll(async () => fx?.provider.close());
beforeEach(() => fx.provider.resetFaults());

/** The provider's refresh grant, driven directly, to prove what it still accepts. */
async function providerAccepts(refreshToken: string): Promise<boolean> {
  const e = fx.provider.endpoints;
  const config = new oidc.Configuration(
    { issuer: e.issuer, token_endpoint: e.token, jwks_uri: e.jwks },
    fx.provider.clientId,
    { token_endpoint_auth_method: 'none' },
    oidc.None(),
  );
  const agent = new Agent({ connect: { ca: fx.provider.ca } });
  config[oidc.customFetch] = (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent }) as never;
  try {
    await oidc.refreshTokenGrant(config, refreshToken);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!HAS_KEYRING)('sign-in round trip through the CLI', () => {
  it('logs in through $BROWSER, shows who, refreshes, logs out (the old token dies), and logs in again', async () => {
    const outputs: string[] = [];
    const step = async (args: string[]) => {
      const result = await fx.cli(args);
      outputs.push(result.stdout, result.stderr);
      expect(result.code, result.stderr).toBe(0);
      return result;
    };
    const login = await step(['login', 'demo']);
    expect(login.stdout).toContain('Signed in to profile "demo" as alice@');
    expect(login.stderr).toContain('Continue in your browser');

    const id = await profileId(fx, 'demo');
    const first = await keychainLookup(id);
    expect(first, 'the refresh token is in the Secret Service').toBeTruthy();

    const who = JSON.parse((await step(['whoami', '--json'])).stdout);
    expect(who).toMatchObject({
      name: 'demo',
      active: true,
      status: 'signed-in',
      refreshTokenStored: true,
      identity: { type: 'user', aid: '1234567890123456', upn: expect.stringContaining('alice@') },
    });
    expect(Date.parse(who.accessTokenExpiresAt)).toBeGreaterThan(Date.now());

    const grantsBefore = fx.provider.stats.refreshGrants;
    const refreshed = JSON.parse((await step(['refresh', '--json'])).stdout);
    expect(refreshed.refreshedBy).toBe('this-process');
    expect(fx.provider.stats.refreshGrants).toBe(grantsBefore + 1);
    const second = await keychainLookup(id);
    expect(second).toBeTruthy();
    expect(second, 'the rotated token replaced the old one').not.toBe(first);

    const logout = JSON.parse((await step(['logout', '--json'])).stdout);
    expect(logout).toEqual({ profile: 'demo', revocation: 'revoked' });
    expect(await keychainLookup(id)).toBeNull();
    expect(await providerAccepts(second as string), 'the provider refuses the revoked token').toBe(false);
    const after = JSON.parse((await step(['whoami', '--json'])).stdout);
    expect(after).toMatchObject({ status: 'signed-out', identity: null, refreshTokenStored: false });

    await step(['login']);
    const third = await keychainLookup(id);
    expect(third).toBeTruthy();

    // No byte of any token in the data dir or in anything the CLI printed.
    const stored = await dataDirText(fx.dataDir);
    for (const token of [first, second, third] as string[]) {
      expect(stored.includes(token)).toBe(false);
      for (const text of outputs) expect(text.includes(token)).toBe(false);
    }
    const jwt = /eyJ[\w-]{10,}\.[\w-]{10,}/;
    expect(jwt.test(stored)).toBe(false);
    for (const text of outputs) {
      expect(jwt.test(text)).toBe(false);
      expect(text).not.toMatch(/[?&]code=/);
    }
    await step(['logout']);
  });

  it('signs in headless: prints the URL, reads the pasted address from stdin', async () => {
    const { completeLoginOverHttp } = await import('../helpers/http-browser.mjs');
    const child = fx.cli(['login', 'demo', '--no-browser']);
    const url = await new Promise<string>((resolve) => {
      let seen = '';
      child.child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /https:\/\/\S+\/oauth2\/v1\/auth\?\S+/.exec(seen);
        if (match) resolve(match[0]);
      });
    });
    // The browser is "on another machine": it never reaches our listener.
    const { finalUrl } = await completeLoginOverHttp(url, { ca: fx.provider.ca, followCallback: false });
    child.child.stdin?.end(`${finalUrl}\n`);
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Signed in to profile "demo"');
    expect(await keychainLookup(await profileId(fx, 'demo'))).toBeTruthy();
    await fx.cli(['logout', 'demo']);
  });

  it('two processes refreshing one profile at once: one refresh reaches the provider, both succeed', async () => {
    expect((await fx.cli(['login', 'demo'])).code).toBe(0);
    const before = { ...fx.provider.stats };
    const [a, b] = await Promise.all([fx.cli(['refresh', 'demo', '--json']), fx.cli(['refresh', 'demo', '--json'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const who = [JSON.parse(a.stdout).refreshedBy, JSON.parse(b.stdout).refreshedBy].sort();
    expect(who).toEqual(['already-fresh', 'this-process']);
    expect(fx.provider.stats.refreshGrants - before.refreshGrants).toBe(1);
    expect(fx.provider.stats.rotatedOutReuse).toBe(before.rotatedOutReuse);
    // And the token left in the keychain is the live one (checking it rotates it, so sign out after).
    const id = await profileId(fx, 'demo');
    expect(await providerAccepts((await keychainLookup(id)) as string)).toBe(true);
    await fx.cli(['logout', 'demo']);
  });
});
