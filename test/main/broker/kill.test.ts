import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_KEYRING, keychainLookup } from '../../helpers/signin-fixture.js';
import { startBrokerFixture, type BrokerFixture } from '../../helpers/broker-fixture.js';
import { pathOf, rawRequest } from '../../helpers/broker-http.js';

// The broker killed with kill -9 while a refresh is on the wire: the next broker still has a
// refresh token the site accepts (the lock of the dead process is taken over, nothing half-written).

let fx: BrokerFixture;
beforeAll(async () => {
  if (HAS_KEYRING) fx = await startBrokerFixture();
}, 120_000);
afterAll(async () => fx?.close());

describe.skipIf(!HAS_KEYRING)('broker killed during a refresh', () => {
  it('leaves a refresh token the site accepts at the next start', async () => {
    const id = await fx.id('demo');
    const path = pathOf(await fx.url('demo'));
    const tokenBefore = await keychainLookup(id);
    expect(tokenBefore).toBeTruthy();
    const first = await fx.serve();
    const grantsBefore = fx.provider.stats.refreshGrants;
    fx.provider.faults.tokenDelayMs = 2500;
    // A fresh broker holds no access token: this request refreshes, and the site sits on it.
    const pending = rawRequest(fx.port, path).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.code).toBeNull();
    expect(await pending).toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the site finishes with the dead request
    fx.provider.resetFaults();

    const tokenAfter = await keychainLookup(id);
    expect(tokenAfter, 'the refresh never completed: the keychain holds the same token').toBe(tokenBefore);
    const second = await fx.serve();
    try {
      const answer = await rawRequest(fx.port, path);
      expect(answer.status, answer.body).toBe(200);
      expect(fx.sts.lookup(answer.json().AccessKeyId as string)).toBeDefined();
      expect(fx.provider.stats.rotatedOutReuse).toBe(0);
      expect(fx.provider.stats.refreshGrants).toBeGreaterThan(grantsBefore);
    } finally {
      await second.stop();
    }
    // And without a broker, the CLI gets credentials itself.
    await fx.ok(['refresh', 'demo']);
  }, 120_000);
});
