import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoProvider, type DemoProvider } from '../../main/demo/provider/index.js';
import { launchChromium } from '../helpers/chromium.js';

// The login page as a real browser (Debian's Chromium) and as browser.mjs (the $BROWSER stand-in)
// see it, each ending at a loopback listener like the CLI's.

const BROWSER_MJS = fileURLToPath(new URL('../helpers/browser.mjs', import.meta.url));

let site: DemoProvider;
let agent: Agent;
let work: string;
let caFile: string;

beforeAll(async () => {
  site = await startDemoProvider();
  agent = new Agent({ connect: { ca: site.ca } });
  work = await mkdtemp(join(tmpdir(), 'demo-browser-'));
  caFile = join(work, 'ca.pem');
  await writeFile(caFile, site.ca);
});
afterAll(async () => {
  await site?.close();
  await agent?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A loopback listener like the app's: resolves with the first callback URL it is sent. */
interface Listener {
  redirectUri: string;
  callback: Promise<URL>;
  close(): Promise<void>;
}

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

async function listen(): Promise<Listener> {
  let resolveCallback: (url: URL) => void = () => {};
  const callback = new Promise<URL>((resolve) => (resolveCallback = resolve));
  const server: Server = createServer((req, res) => {
    const { port } = server.address() as AddressInfo;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/cli/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Signed in. You can close this tab.');
    resolveCallback(url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const listener = {
    redirectUri: `http://127.0.0.1:${port}/cli/callback`,
    callback,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  listeners.push(listener);
  return listener;
}

function clientConfig(): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer: site.issuer,
      authorization_endpoint: site.endpoints.authorization,
      token_endpoint: site.endpoints.token,
      jwks_uri: site.endpoints.jwks,
    },
    site.clientId,
    { token_endpoint_auth_method: 'none' },
    oidc.None(),
  );
  config[oidc.customFetch] = (url, init) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  return config;
}

async function authRequest(redirectUri: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(clientConfig(), {
    redirect_uri: redirectUri,
    scope: 'openid aliuid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  return { url, verifier, state };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)),
  ]);
}

describe('login page in Chromium', () => {
  it('signs in with the plain HTML form and reaches the loopback redirect with a code', async () => {
    const listener = await listen();
    const request = await authRequest(listener.redirectUri);
    const chromium = await launchChromium({ ignoreHTTPSErrors: true });
    const context = chromium.context;
    try {
      const page = await context.newPage();
      await page.goto(request.url.href);
      await page.fill('#username', 'alice');
      await page.fill('#password', 'wrong');
      await page.click('button[value=allow]');
      expect(await (await page.waitForSelector('.error')).textContent()).toContain('not correct');
      await page.fill('#password', 'demo-password');
      await page.click('button[value=allow]');
      const callback = await within(listener.callback, 20_000, 'Chromium redirect');
      expect(callback.searchParams.get('state')).toBe(request.state);
      const tokens = await oidc.authorizationCodeGrant(clientConfig(), callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        idTokenExpected: true,
      });
      expect(tokens.claims()?.upn).toBe('alice@1234567890123456.onaliyun.com');

      // Signed in already: the next request only asks for consent.
      const second = await listen();
      const again = await authRequest(second.redirectUri);
      await page.goto(again.url.href);
      expect(await page.locator('#username').count()).toBe(0);
      expect(await page.textContent('main')).toContain('Signed in as alice');
      await page.click('button[value=allow]');
      expect((await within(second.callback, 20_000, 'second redirect')).searchParams.get('code')).toBeTruthy();
    } finally {
      await chromium.close();
    }
  });
});

function runBrowserMjs(url: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BROWSER_MJS, url],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('browser.mjs as $BROWSER', () => {
  it('signs in over HTTPS and hands the code to the loopback listener, printing nothing secret', async () => {
    const listener = await listen();
    const request = await authRequest(listener.redirectUri);
    const run = await runBrowserMjs(request.url.href, { DEMO_CA_FILE: caFile, DEMO_LOGIN: 'root' });
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const callback = await within(listener.callback, 5_000, 'browser.mjs redirect');
    const tokens = await oidc.authorizationCodeGrant(clientConfig(), callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
    });
    expect(tokens.claims()?.type).toBe('account');
  });

  it('presses Deny when told to, and fails plainly on a wrong password', async () => {
    const listener = await listen();
    const request = await authRequest(listener.redirectUri);
    expect((await runBrowserMjs(request.url.href, { DEMO_CA_FILE: caFile, DEMO_DECISION: 'deny' })).code).toBe(0);
    expect((await listener.callback).searchParams.get('error')).toBe('access_denied');

    const again = await authRequest(listener.redirectUri);
    const wrong = await runBrowserMjs(again.url.href, { DEMO_CA_FILE: caFile, DEMO_PASSWORD: 'nope' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not correct/);
  });

  it('only writes the URL down in print mode, and does nothing in none mode', async () => {
    const urlFile = join(work, 'url.txt');
    const url = `${site.endpoints.authorization}?client_id=${site.clientId}`;
    expect((await runBrowserMjs(url, { DEMO_BROWSER_MODE: 'print', DEMO_URL_FILE: urlFile })).code).toBe(0);
    expect((await readFile(urlFile, 'utf8')).trim()).toBe(url);
    const before = site.stats.authorizations;
    expect(await runBrowserMjs(url, { DEMO_BROWSER_MODE: 'none' })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(site.stats.authorizations).toBe(before);
  });
});
