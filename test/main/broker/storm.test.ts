import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_KEYRING } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture, type ServeHandle } from '../../helpers/broker-fixture.js';
import { pathOf, rawRequest } from '../../helpers/broker-http.js';

// 1,000 concurrent requests on a profile whose credentials (and access token) just expired:
// exactly one refresh and one exchange reach the site, and every request gets valid credentials.
// The requests share at most 200 connections at a time: the server caps concurrent connections
// at 256 and closes any past that at once (test/main/broker/lifecycle.test.ts), so more at once would
// measure the cap, not the single refresh.
// The site issues short-lived tokens so that "expired" is real time, not a mocked clock:
// STS credentials for 320 s and access tokens for 80 s are renewed by the broker 300 s and 60 s
// before they end, so both count as expired 20 s after they were issued.

const WINDOW_MS = 20_000;

let fx: BrokerFixture;
let broker: ServeHandle;
beforeAll(async () => {
  if (!HAS_KEYRING) return;
  fx = await startBrokerFixture({ stsTtl: 320, accessTokenTtl: 80 });
  broker = await fx.serve();
}, 120_000);
afterAll(async () => {
  await broker?.stop();
  await fx?.close();
});

function get(port: number, path: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!HAS_KEYRING)('refresh storm', () => {
  it('turns 1,000 concurrent requests on expired credentials into one refresh and one exchange', async () => {
    const path = pathOf(await fx.url('demo'));
    const warm = await rawRequest(fx.port, path);
    expect(warm.status).toBe(200);
    const warmKey = warm.json().AccessKeyId;
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 1500));

    const before = { ...fx.provider.stats };
    const agent = new Agent({ keepAlive: false, maxSockets: 200 });
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 1000 }, () => get(fx.port, path, agent)));
    const elapsed = Date.now() - started;
    agent.destroy();

    expect(fx.provider.stats.refreshGrants - before.refreshGrants).toBe(1);
    expect(fx.provider.stats.exchanges - before.exchanges).toBe(1);
    expect(fx.provider.stats.rotatedOutReuse).toBe(0);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const bodies = answers.map((a) => JSON.parse(a.body) as Record<string, string>);
    const keys = new Set(bodies.map((b) => b.AccessKeyId));
    expect(keys.size).toBe(1);
    const key = [...keys][0] as string;
    expect(key).not.toBe(warmKey);
    const issued = fx.sts.lookup(key);
    expect(issued).toBeDefined();
    for (const body of bodies) {
      expect(body.Code).toBe('Success');
      expect(body.SecurityToken).toBe(issued?.securityToken);
      expect(body.AccessKeySecret).toBe(issued?.accessKeySecret);
      expect(Date.parse(body.Expiration as string)).toBeGreaterThan(Date.now());
    }
    console.log(`refresh storm: 1000 requests answered in ${elapsed} ms with one refresh and one exchange`);
  }, 120_000);
});
