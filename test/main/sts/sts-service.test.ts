import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoProvider, type DemoProvider } from '../../../main/demo/provider/index.js';
import { createDemoTls, type DemoTls } from '../../../main/demo/tls.js';
import { ServerClock } from '../../../main/services/clock/server-clock.js';
import { createFetch } from '../../../main/services/net/http.js';
import type { Profile } from '../../../main/services/profiles/schema.js';
import { StsService, type StsServiceDeps } from '../../../main/services/sts/sts-service.js';
import { DemoSession, demoProfile } from '../../helpers/demo-session.js';
import { failsWith } from '../../helpers/failures.js';

// StsService against the demo site's real /v1/exchange, after a real sign-in on its login page.

let tls: DemoTls;
let site: DemoProvider;
const fetch = () => createFetch({ ca: tls.ca, timeoutMs: 10_000 });

beforeAll(async () => {
  tls = await createDemoTls();
  site = await startDemoProvider({ tls });
});
afterAll(async () => {
  await site?.close();
});
afterEach(() => site.resetFaults());

async function setup(
  opts: { profile?: Partial<Profile>; optimistic?: boolean; deps?: Partial<StsServiceDeps>; on?: DemoProvider } = {},
) {
  const on = opts.on ?? site;
  const profile = demoProfile(on, opts.profile);
  const f = opts.deps?.fetch ?? fetch();
  const session = await new DemoSession(profile, tls.ca, f, { optimistic: opts.optimistic ?? false }).signIn();
  const service = new StsService({
    tokens: session.tokens,
    profiles: { resolve: async (id) => (id === profile.id ? profile : Promise.reject(new Error('unknown profile'))) },
    fetch: f,
    retry: { attempts: 2, baseDelayMs: 5 },
    ...opts.deps,
  });
  return { profile, session, service };
}

describe('StsService.credentials', () => {
  it('exchanges the access token for credentials the site issued, and reuses them', async () => {
    const { profile, service } = await setup();
    const before = site.stats.exchanges;
    const first = await service.credentials(profile.id);
    const again = await service.credentials(profile.id);
    expect(site.stats.exchanges - before).toBe(1);
    expect(again).toBe(first);
    const issued = site.sts.lookup(first.accessKeyId);
    expect(issued?.securityToken).toBe(first.securityToken);
    expect(issued?.accessKeySecret).toBe(first.accessKeySecret);
    expect(first.expiration.getTime()).toBe(issued?.expiration.getTime());
    expect(service.validFor(profile.id)).toBeGreaterThan(3500_000);
  });

  it('shares one exchange between concurrent callers', async () => {
    const { profile, service } = await setup();
    const before = site.stats.exchanges;
    const all = await Promise.all(Array.from({ length: 20 }, () => service.credentials(profile.id)));
    expect(site.stats.exchanges - before).toBe(1);
    expect(new Set(all).size).toBe(1);
  });

  it('renews once the held credentials come within the margin of their expiry (server time)', async () => {
    let ahead = 0;
    const clock = { now: () => Date.now() + ahead };
    const { profile, service } = await setup({ deps: { clock } });
    const before = site.stats.exchanges;
    const first = await service.credentials(profile.id);
    ahead = 3600_000 - 6 * 60_000; // 6 minutes left: more than the 5-minute margin
    expect(await service.credentials(profile.id)).toBe(first);
    ahead = 3600_000 - 4 * 60_000; // 4 minutes left
    const renewed = await service.credentials(profile.id);
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(site.stats.exchanges - before).toBe(2);
  });

  it('takes a configured margin', async () => {
    let ahead = 0;
    const { profile, service } = await setup({ deps: { clock: { now: () => Date.now() + ahead }, marginMs: 60_000 } });
    const first = await service.credentials(profile.id);
    ahead = 3600_000 - 4 * 60_000;
    expect(await service.credentials(profile.id)).toBe(first);
    ahead = 3600_000 - 30_000;
    expect((await service.credentials(profile.id)).accessKeyId).not.toBe(first.accessKeyId);
  });

  it('forceRenew exchanges again even while the held ones look valid', async () => {
    const { profile, service } = await setup();
    const first = await service.credentials(profile.id);
    const renewed = await service.credentials(profile.id, { forceRenew: true });
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(await service.credentials(profile.id)).toBe(renewed);
  });

  it.each([400, 401, 403])(
    'on expired_token answered with HTTP %i refreshes the access token once and retries',
    async (status) => {
      const short = await startDemoProvider({ tls, accessTokenTtl: 1 });
      // Alibaba documents the error body of the exchange, not its status: the body decides.
      short.faults.exchangeTokenErrorStatus = status;
      try {
        // The session keeps handing out its expired access token, as a process with a slow clock would.
        const { profile, session, service } = await setup({ on: short, optimistic: true });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const creds = await service.credentials(profile.id);
        expect(short.sts.lookup(creds.accessKeyId)).toBeDefined();
        expect(session.renewals).toBe(1);
        expect(short.stats.refreshGrants).toBe(1);
        expect(short.stats.exchanges).toBe(1);
      } finally {
        await short.close();
      }
    },
  );

  it('refuses with EXCHANGE_NOT_ALLOWED when the token lacks the STS scope, in words that say what to do', async () => {
    const { profile, service } = await setup({
      profile: { client: { ...demoProfile(site).client, scopes: ['openid', 'aliuid', 'profile'] } },
    });
    const error = await failsWith(service.credentials(profile.id), 'EXCHANGE_NOT_ALLOWED');
    expect(error.message).toContain('/internal/ram/usersts');
    expect(error.message).toContain('official CLI application');
    expect(error.message).toMatch(/--site cn\|intl/);
  });

  it('refuses with EXCHANGE_NOT_ALLOWED on a bare 403', async () => {
    const { profile, service } = await setup();
    site.faults.exchangeStatus = 403;
    await failsWith(service.credentials(profile.id), 'EXCHANGE_NOT_ALLOWED');
  });

  it('refuses with EXCHANGE_NOT_ALLOWED when the profile has no exchange endpoint', async () => {
    const { exchange: _none, ...endpoints } = site.endpoints;
    const { profile, service } = await setup({ profile: { endpoints } });
    const before = site.stats.exchanges;
    const error = await failsWith(service.credentials(profile.id), 'EXCHANGE_NOT_ALLOWED');
    expect(error.message).toContain('no exchange endpoint');
    expect(site.stats.exchanges).toBe(before);
  });

  it('gives SERVER_ERROR on a 5xx (after its retries) and keeps nothing', async () => {
    const { profile, service } = await setup();
    site.faults.exchangeStatus = 500;
    await failsWith(service.credentials(profile.id), 'SERVER_ERROR');
    expect(service.validFor(profile.id)).toBeUndefined();
    site.resetFaults();
    expect(site.sts.lookup((await service.credentials(profile.id)).accessKeyId)).toBeDefined();
  });

  it('gives EXCHANGE_FAILED on another refusal, and when even a fresh token is refused', async () => {
    const { profile, service, session } = await setup();
    site.faults.exchangeStatus = 429;
    await failsWith(service.credentials(profile.id), 'EXCHANGE_FAILED');
    site.faults.exchangeStatus = 401;
    const error = await failsWith(service.credentials(profile.id), 'EXCHANGE_FAILED');
    expect(session.renewals).toBe(1);
    expect(error.message).toContain('Sign in again');
  });

  it('a revoked grant ends in INVALID_GRANT after one refresh attempt', async () => {
    const { profile, service, session } = await setup();
    await session.revoke();
    await failsWith(service.credentials(profile.id), 'INVALID_GRANT');
    expect(session.renewals).toBe(1);
  });

  it('gives BAD_RESPONSE for an answer that is not JSON, or JSON without credentials', async () => {
    let body = '<html><body>Proxy error</body></html>';
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': body.startsWith('<') ? 'text/html' : 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/exchange`;
      const { profile, service } = await setup({ profile: { endpoints: { ...site.endpoints, exchange: url } } });
      await failsWith(service.credentials(profile.id), 'BAD_RESPONSE');
      body = JSON.stringify({ requestId: 'R1', accessKeyId: 'STS.x', expiration: 'soon' });
      const error = await failsWith(service.credentials(profile.id), 'BAD_RESPONSE');
      expect(error.message).toContain('R1');
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('never puts a token or secret in an error message', async () => {
    const { profile, service, session } = await setup();
    const creds = await service.credentials(profile.id);
    for (const status of [401, 403, 429, 500]) {
      site.faults.exchangeStatus = status;
      const error = await service.credentials(profile.id, { forceRenew: true }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      for (const secret of [
        session.grant!.accessToken,
        session.refreshToken!,
        creds.accessKeySecret,
        creds.securityToken,
      ]) {
        expect(error!.message).not.toContain(secret);
      }
    }
  });

  it('a caller that gives up does not cancel the exchange others wait for', async () => {
    const { profile, service } = await setup();
    const abort = new AbortController();
    const leaving = service.credentials(profile.id, { signal: abort.signal });
    const staying = service.credentials(profile.id);
    abort.abort(new Error('gave up'));
    await expect(leaving).rejects.toThrow('gave up');
    expect(site.sts.lookup((await staying).accessKeyId)).toBeDefined();
  });

  it("computes expiries in the site's time when the local clock is 20 minutes behind", async () => {
    const behind = 20 * 60_000;
    const clock = new ServerClock({ localNow: () => Date.now() - behind });
    const f = createFetch({ ca: tls.ca, observe: clock.observe });
    const { profile, service } = await setup({ deps: { fetch: f, clock } });
    await service.credentials(profile.id);
    expect(Math.abs(clock.offsetMs(new URL(site.issuer).origin) - behind)).toBeLessThan(2_000);
    // Naively, local time would give the credentials 80 minutes; in the site's time they have 60.
    const left = service.validFor(profile.id)!;
    expect(left).toBeGreaterThan(3590_000 - 2_000);
    expect(left).toBeLessThan(3600_000 + 2_000);
  });
});
