import { request } from 'node:http';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { close, occupyConsecutivePorts } from '../helpers/ports.js';
import {
  customProfileArgs,
  errorCode,
  HAS_KEYRING,
  keychainLookup,
  profileId,
  startFixture,
  type Fixture,
} from '../helpers/signin-fixture.js';

let fx: Fixture;
let id: string;
beforeAll(async () => {
  fx = await startFixture();
  expect((await fx.cli(customProfileArgs(fx.provider, 'demo'))).code).toBe(0);
  id = await profileId(fx, 'demo');
});
afterAll(async () => fx?.provider.close());
beforeEach(() => fx.provider.resetFaults());

/** A login whose "browser" only reports the URL, so the test can answer the callback itself. */
function loginWithUrl(args: string[] = []) {
  const child = fx.cli(['login', 'demo', ...args], { env: { DEMO_BROWSER_MODE: 'none' } });
  const url = new Promise<URL>((resolve) => {
    let seen = '';
    child.child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /https:\/\/\S+\/oauth2\/v1\/auth\?\S+/.exec(seen);
      if (match) resolve(new URL(match[0]));
    });
  });
  return { child, url };
}

function hit(redirectUri: string, query: string, init: { host?: string; method?: string } = {}): Promise<number> {
  const target = new URL(redirectUri);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: `${target.pathname}${query}`,
        method: init.method ?? 'GET',
        headers: { host: init.host ?? target.host },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function expectNothingStored(): Promise<void> {
  expect(await keychainLookup(id)).toBeNull();
  const who = JSON.parse((await fx.cli(['whoami', 'demo', '--json'])).stdout);
  expect(who).toMatchObject({ status: 'signed-out', identity: null, refreshTokenStored: false });
}

describe.skipIf(!HAS_KEYRING)('sign-in failures: a coded error and nothing stored', () => {
  it('a callback with another state is refused and the wait goes on, until the person cancels', async () => {
    const { child, url } = loginWithUrl();
    const redirect = (await url).searchParams.get('redirect_uri') as string;
    expect(await hit(redirect, '?code=forged&state=not-the-state')).toBe(400);
    expect(await hit(redirect, '?error=access_denied')).toBe(400);
    child.child.kill('SIGINT');
    const result = await child;
    expect([result.code, errorCode(result)]).toEqual([3, 'SIGNIN_CANCELLED']);
    expect(result.stderr).toMatch(/Refused a stray request/);
    await expectNothingStored();
  });

  it('state mismatch in a pasted address (headless)', async () => {
    const result = await fx.cli(['login', 'demo', '--no-browser'], {
      input: 'http://127.0.0.1:43123/cli/callback?code=forged&state=not-the-state\n',
      env: { DEMO_BROWSER_MODE: 'none' },
    });
    expect([result.code, errorCode(result)]).toEqual([3, 'STATE_MISMATCH']);
    await expectNothingStored();
  });

  it('access_denied', async () => {
    const result = await fx.cli(['login', 'demo'], { env: { DEMO_DECISION: 'deny' } });
    expect([result.code, errorCode(result)]).toEqual([3, 'ACCESS_DENIED']);
    expect(result.stderr).toMatch(/refused in the browser/);
    await expectNothingStored();
  });

  it('a wrong path, another method and a foreign Host are refused while the sign-in goes on; a second callback finds nobody', async () => {
    const { child, url } = loginWithUrl();
    const auth = await url;
    const redirect = auth.searchParams.get('redirect_uri') as string;
    const state = auth.searchParams.get('state') as string;
    const origin = new URL(redirect).origin;
    expect(await hit(`${origin}/elsewhere`, `?code=x&state=${state}`)).toBe(404);
    expect(await hit(redirect, `?code=x&state=${state}`, { method: 'POST' })).toBe(405);
    expect(await hit(redirect, `?code=x&state=${state}`, { host: 'attacker.example' })).toBe(421);
    const { completeLoginOverHttp } = await import('../helpers/http-browser.mjs');
    const done = await completeLoginOverHttp(auth.href, { ca: fx.provider.ca });
    expect(done.callbackStatus).toBe(200);
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    await expect(hit(redirect, `?code=again&state=${state}`)).rejects.toThrow(/ECONNREFUSED/);
    await fx.cli(['logout', 'demo']);
  });

  it('timeout', async () => {
    const started = Date.now();
    const result = await fx.cli(['login', 'demo', '--timeout', '2'], { env: { DEMO_BROWSER_MODE: 'none' } });
    expect([result.code, errorCode(result)]).toEqual([3, 'SIGNIN_TIMEOUT']);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expectNothingStored();
  });

  it('every port of the range taken', async () => {
    const { base, servers } = await occupyConsecutivePorts(2);
    try {
      expect((await fx.cli([...customProfileArgs(fx.provider, 'busy'), '--ports', `${base}-${base + 1}`])).code).toBe(
        0,
      );
      const result = await fx.cli(['login', 'busy']);
      expect([result.code, errorCode(result)]).toEqual([3, 'PORTS_IN_USE']);
      expect(result.stderr).toContain(`${base}-${base + 1}`);
    } finally {
      await Promise.all(servers.map(close));
      await fx.cli(['profile', 'remove', 'busy']);
    }
  });

  it.each([
    ['tokenStatus500', 'SERVER_ERROR', 6],
    ['tokenMalformedJson', 'BAD_RESPONSE', 6],
    ['wrongIssuer', 'ID_TOKEN_INVALID', 3],
  ] as const)('token endpoint fault %s gives %s', async (fault, code, exit) => {
    fx.provider.faults[fault] = true;
    const result = await fx.cli(['login', 'demo']);
    expect([result.code, errorCode(result)]).toEqual([exit, code]);
    await expectNothingStored();
  });

  it('invalid_grant on refresh: the profile needs attention, keeps its last identity (stale), and its keychain entry is gone', async () => {
    // The SITE refused the refresh token; the person did not sign out. So: not `signed-out` (which
    // would read as a sign-out and drop who it was), but `needs-attention`, saying why on every use.
    expect((await fx.cli(['login', 'demo'])).code).toBe(0);
    expect(await keychainLookup(id)).toBeTruthy();
    fx.provider.faults.refuseRefresh = true;
    const result = await fx.cli(['refresh', 'demo']);
    expect([result.code, errorCode(result)]).toEqual([4, 'INVALID_GRANT']);
    expect(result.stderr).toMatch(/Sign in again/);
    expect(await keychainLookup(id)).toBeNull();
    const who = JSON.parse((await fx.cli(['whoami', 'demo', '--json'])).stdout);
    expect(who).toMatchObject({ status: 'needs-attention', refreshTokenStored: false, accessTokenExpiresAt: null });
    expect(who.identity).toMatchObject({ sub: expect.any(String) });
    const text = (await fx.cli(['whoami', 'demo'])).stdout;
    expect(text).toMatch(
      /^Status +needs-attention: the site no longer accepts this sign-in .*alicloud-signin login demo$/m,
    );
    expect(text).toMatch(/^Identity +.+ \(last signed in; stale\)$/m);
    expect((await fx.cli(['profile', 'list'])).stdout).toMatch(/demo +CUSTOM needs-attention +last signed in as /);

    // Every later use says the site refused it (not "not signed in"), without asking the site again.
    const refreshes = fx.provider.stats.refreshGrants;
    const again = await fx.cli(['credentials', 'demo']);
    expect([again.code, errorCode(again), again.stdout]).toEqual([4, 'INVALID_GRANT', '']);
    expect(fx.provider.stats.refreshGrants).toBe(refreshes);

    // Signing out is the person's act: only that makes it signed-out, and forgets the identity.
    expect((await fx.cli(['logout', 'demo'])).code).toBe(0);
    await expectNothingStored();
  });

  it('a 500 on refresh keeps the refresh token and says SERVER_ERROR', async () => {
    expect((await fx.cli(['login', 'demo'])).code).toBe(0);
    const token = await keychainLookup(id);
    fx.provider.faults.tokenStatus500 = true;
    const result = await fx.cli(['refresh', 'demo']);
    expect([result.code, errorCode(result)]).toEqual([6, 'SERVER_ERROR']);
    expect(await keychainLookup(id)).toBe(token);
    fx.provider.resetFaults();
    expect((await fx.cli(['refresh', 'demo'])).code).toBe(0);
    await fx.cli(['logout', 'demo']);
  });

  it('without a Secret Service: KEYCHAIN_UNAVAILABLE within 2 s, the profile file untouched', async () => {
    const file = join(fx.dataDir, 'profiles.json');
    const before = await readFile(file, 'utf8');
    const started = Date.now();
    const result = await fx.cli(['login', 'demo'], { env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
    expect(errorCode(result)).toBe('KEYCHAIN_UNAVAILABLE');
    expect(result.code).toBe(5);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('a corrupted profile file is moved aside and reported, never overwritten', async () => {
    const file = join(fx.dataDir, 'profiles.json');
    const good = await readFile(file, 'utf8');
    await writeFile(file, '{"version":1,"profiles":[{"half-written');
    const result = await fx.cli(['profile', 'list']);
    expect([result.code, errorCode(result)]).toEqual([7, 'STORE_CORRUPT']);
    const backups = (await readdir(fx.dataDir)).filter((name) => name.includes('corrupt'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(fx.dataDir, backups[0] as string), 'utf8')).toBe(
      '{"version":1,"profiles":[{"half-written',
    );
    expect(result.stderr).toContain(backups[0]);
    await writeFile(file, good); // restore for the other tests
  });
});
