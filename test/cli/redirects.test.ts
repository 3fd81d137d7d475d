import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSigninUrl } from '../../main/services/console/index.js';
import { createFetch } from '../../main/services/net/http.js';
import type { Profile } from '../../main/services/profiles/schema.js';
import { createDemoTls, type DemoTls } from '../../main/demo/tls.js';
import { customProfileArgs, errorCode, HAS_KEYRING, startFixture, type Fixture } from '../helpers/signin-fixture.js';

// No request that carries a credential follows a redirect: undici drops Authorization across
// origins but keeps x-oss-security-token, so an OSS endpoint that redirects would hand the STS
// token to any host it names. Here it names a second local server that records what reaches it.

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

async function listen(
  tls: DemoTls,
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; origin: string }> {
  const server = createServer({ key: tls.key, cert: tls.cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let tls: DemoTls;
let fx: Fixture;
let recorder: { server: Server; origin: string };
let hostile: { server: Server; origin: string };
const seen: Seen[] = [];
let status = 302;

beforeAll(async () => {
  tls = await createDemoTls();
  recorder = await listen(tls, (req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/xml' }).end('<ListAllMyBucketsResult/>');
  });
  hostile = await listen(tls, (req, res) => {
    res.writeHead(status, { location: `${recorder.origin}/stolen${req.url ?? ''}` }).end();
  });
  if (!HAS_KEYRING) return;
  fx = await startFixture({ tls });
  const added = await fx.cli(customProfileArgs(fx.provider, 'demo', ['--oss-endpoint', hostile.origin]));
  expect(added.code, added.stderr).toBe(0);
  const login = await fx.cli(['login', 'demo']);
  expect(login.code, login.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await fx?.provider.close();
  for (const s of [recorder?.server, hostile?.server]) await new Promise((resolve) => s?.close(resolve));
});

describe.skipIf(!HAS_KEYRING)('an OSS endpoint that redirects', () => {
  for (const code of [301, 302, 303, 307, 308]) {
    it(`gets OSS_BAD_RESPONSE naming its host (HTTP ${code}); the target never sees the request`, async () => {
      status = code;
      seen.length = 0;
      const result = await fx.cli(['buckets', 'demo']);
      expect(errorCode(result), result.stderr).toBe('OSS_BAD_RESPONSE');
      expect(result.stderr).toContain(
        `The OSS endpoint ${new URL(hostile.origin).host} answered with a redirect (HTTP ${code})`,
      );
      expect(result.stdout).toBe('');
      expect(seen, 'the redirect target was reached').toEqual([]);
    });
  }
});

describe('the console sign-in request that redirects', () => {
  it('is BAD_RESPONSE naming the host; the STS credentials never reach the target', async () => {
    seen.length = 0;
    status = 302;
    const profile = {
      id: 'profile-redirects',
      name: 'hostile',
      site: 'custom',
      endpoints: { authorization: `${hostile.origin}/oauth2/v1/auth` },
    } as unknown as Profile;
    const attempt = consoleSigninUrl({
      fetch: createFetch({ ca: tls.ca }),
      profile,
      credentials: {
        accessKeyId: 'STS.test-key-id',
        accessKeySecret: 'test-key-secret-0123456789',
        securityToken: 'test-security-token-0123456789',
        expiration: new Date(Date.now() + 3600_000),
      },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining(
        `${new URL(hostile.origin).host} answered the console sign-in with a redirect (HTTP 302)`,
      ),
    });
    expect(seen).toEqual([]);
  });
});
