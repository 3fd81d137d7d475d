import type { Socket } from 'node:net';
import { createProxy } from 'proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { customProfileArgs, HAS_KEYRING, startFixture, type Fixture } from '../helpers/signin-fixture.js';
import { createServer as createHttpServer } from 'node:http';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
  expect((await fx.cli(customProfileArgs(fx.provider, 'demo'))).code).toBe(0);
});
afterAll(async () => fx?.provider.close());

function authUrlFrom(child: ReturnType<Fixture['cli']>): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    child.child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /https:\/\/\S+\/oauth2\/v1\/auth\?\S+/.exec(seen);
      if (match) resolve(match[0]);
    });
  });
}

describe.skipIf(!HAS_KEYRING)('signing in with real browsers and networks', () => {
  it('with Debian Chromium as the browser', async () => {
    const chromium = await launchChromium({ ignoreHTTPSErrors: true });
    try {
      const child = fx.cli(['login', 'demo'], { env: { DEMO_BROWSER_MODE: 'none' } });
      const page = await chromium.context.newPage();
      await page.goto(await authUrlFrom(child));
      await page.fill('#username', 'alice');
      await page.fill('#password', 'demo-password');
      await page.click('button[value=allow]');
      // Chromium follows the redirect to the CLI's loopback listener, which answers with its page.
      await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/cli\/callback/);
      await expect.poll(() => page.textContent('body')).toContain('You are signed in');
      const result = await child;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('as alice@');
    } finally {
      await chromium.close();
      await fx.cli(['logout', 'demo']);
    }
  });

  it('through an HTTP proxy: the proxy carries the traffic to the provider, not the loopback callback', async () => {
    const tunnels: string[] = [];
    const proxy = createProxy(createHttpServer());
    proxy.on('connect', (req: { url?: string }, _socket: Socket) => tunnels.push(req.url ?? ''));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const child = fx.cli(['login', 'demo'], { env: { HTTPS_PROXY: proxyUrl, NO_PROXY: '' } });
      const callbackPort = new URL(new URL(await authUrlFrom(child)).searchParams.get('redirect_uri') as string).port;
      const result = await child;
      expect(result.code, result.stderr).toBe(0);
      const providerHost = new URL(fx.provider.issuer).host;
      expect(tunnels, 'the token request went through the proxy').toContain(providerHost);
      expect(tunnels.some((t) => t.endsWith(`:${callbackPort}`))).toBe(false);
      // The proxy is really in the path: with it gone, the CLI cannot reach the provider.
      await new Promise((resolve) => proxy.close(resolve));
      const down = await fx.cli(['refresh', 'demo'], { env: { HTTPS_PROXY: proxyUrl, NO_PROXY: '' } });
      expect(down.code, down.stderr).toBe(6);
      expect(down.stderr).toMatch(/error NETWORK/);
    } finally {
      proxy.close();
      await fx.cli(['logout', 'demo']);
    }
  });
});
