import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLoginOverHttp } from '../helpers/http-browser.js';
import { freshHome, runCli } from '../helpers/cli.js';
import {
  BROWSER_SCRIPT,
  customProfileArgs,
  HAS_KEYRING,
  keychainLookup,
  startFixture,
  type Fixture,
} from '../helpers/signin-fixture.js';
import { startSiteTunnel, type SiteTunnel } from '../helpers/site-tunnel.js';

// The CLI as a person runs it, against providers no kinder than Alibaba documents its service.

describe.skipIf(!HAS_KEYRING)('a cn profile signs in through the real site table', () => {
  let tunnel: SiteTunnel;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    tunnel = await startSiteTunnel('cn');
    const { home, env: homeEnv } = await freshHome();
    const caFile = join(home, 'ca.pem');
    await writeFile(caFile, tunnel.ca);
    // What a person behind a corporate proxy has: HTTPS_PROXY and an extra CA; nothing test-only.
    env = {
      ...homeEnv,
      HTTPS_PROXY: tunnel.proxyUrl,
      https_proxy: '',
      HTTP_PROXY: '',
      http_proxy: '',
      NO_PROXY: '127.0.0.1,localhost',
      NODE_EXTRA_CA_CERTS: caFile,
      BROWSER: `${process.execPath} ${BROWSER_SCRIPT}`,
      DEMO_CA_FILE: caFile,
      DEMO_BROWSER_PROXY: tunnel.proxyUrl,
    };
  });
  afterAll(async () => tunnel?.close());

  it('profile add --site cn, login, credentials: the ID token has no nonce and nothing fails on it', async () => {
    const cli = (args: string[]) => runCli(args, { env });
    expect((await cli(['profile', 'add', 'prod', '--site', 'cn'])).code).toBe(0);
    const login = await cli(['login', 'prod']);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Signed in to profile "prod"');
    const credentials = await cli(['credentials', 'prod', '--format', 'json']);
    expect(credentials.code, credentials.stderr).toBe(0);
    expect(JSON.parse(credentials.stdout)).toMatchObject({ accessKeyId: expect.any(String) });
    expect(tunnel.provider.stats.exchanges).toBeGreaterThan(0);
    expect(await cli(['logout', 'prod'])).toMatchObject({ code: 0 });
  });
});

describe.skipIf(!HAS_KEYRING)('login on a custom site', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
    expect((await fx.cli(customProfileArgs(fx.provider, 'own'))).code).toBe(0);
  });
  afterAll(async () => fx?.provider.close());

  it('--no-browser exits as soon as the sign-in is done although its stdin pipe stays open', async () => {
    const child = fx.cli(['login', 'own', '--no-browser']);
    const url = await urlFrom(child.child.stderr);
    const { finalUrl } = await completeLoginOverHttp(url, { ca: fx.provider.ca, followCallback: false });
    // ssh without -t, an IDE terminal, a CI agent: the pipe never ends.
    child.child.stdin?.write(`${finalUrl}\n`);
    const pasted = Date.now();
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - pasted).toBeLessThan(1_000 + 2_000); // a second, plus a loaded machine's start-up
    expect(result.stdout).toContain('Signed in to profile "own"');
    expect(child.child.stdin?.writableEnded).toBe(false);
  });

  it('--no-browser also exits when the browser reaches the loopback listener first, stdin open', async () => {
    const child = fx.cli(['login', 'own', '--no-browser']);
    const url = await urlFrom(child.child.stderr);
    await completeLoginOverHttp(url, { ca: fx.provider.ca });
    const done = Date.now();
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - done).toBeLessThan(3_000);
  });

  it('headless prompt and deadline share no line and nothing redraws the line typed into', async () => {
    const child = fx.cli(['login', 'own', '--no-browser', '--timeout', '60']);
    const stderr: string[] = [];
    child.child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const url = await urlFrom(child.child.stderr);
    const { finalUrl } = await completeLoginOverHttp(url, { ca: fx.provider.ca, followCallback: false });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    child.child.stdin?.end(`${finalUrl}\n`);
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toMatch(/Waiting for the sign-in until \d\d:\d\d/);
    expect(result.stderr).toMatch(/press Enter:\n> /);
  });

  it('prints one line for a stray request to the callback and still signs in', async () => {
    const child = fx.cli(['login', 'own'], { env: { DEMO_BROWSER_MODE: 'none' } });
    const url = await urlFrom(child.child.stderr);
    const redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
    const stray = await fetch(`${redirect}?code=forged&state=not-this-one`);
    expect(stray.status).toBe(400);
    await completeLoginOverHttp(url, { ca: fx.provider.ca });
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Refused a stray request to the sign-in callback \(callback for another sign-in/);
    expect(await keychainLookup(await idOf(fx, 'own'))).toBeTruthy();
  });
});

async function idOf(fx: Fixture, name: string): Promise<string> {
  const list = JSON.parse((await fx.cli(['profile', 'list', '--json'])).stdout) as {
    profiles: { id: string; name: string }[];
  };
  return list.profiles.find((p) => p.name === name)?.id ?? '';
}

function urlFrom(stream: NodeJS.ReadableStream | null): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    stream?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /https:\/\/\S+\/oauth2\/v1\/auth\?\S+/.exec(seen);
      if (match) resolve(match[0]);
    });
  });
}
