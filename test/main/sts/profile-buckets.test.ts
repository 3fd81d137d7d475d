import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedBuckets, startOssServer, type OssServer } from '../../../main/demo/oss-server/index.js';
import { startDemoProvider, type DemoProvider } from '../../../main/demo/provider/index.js';
import { createDemoTls, type DemoTls } from '../../../main/demo/tls.js';
import { ServerClock } from '../../../main/services/clock/server-clock.js';
import { createFetch } from '../../../main/services/net/http.js';
import { listProfileBuckets } from '../../../main/services/sts/profile-buckets.js';
import { StsService } from '../../../main/services/sts/sts-service.js';
import { DemoSession, demoProfile } from '../../helpers/demo-session.js';
import { failsWith } from '../../helpers/failures.js';

// The whole path a `buckets` command takes: demo sign-in, /v1/exchange, V4-signed ListBuckets
// pages from the demo OSS server (HTTPS, same CA), with the STS registry shared between the two.

const SEED = seedBuckets(2500, 7);
let tls: DemoTls;
let site: DemoProvider;
let oss: OssServer;
/** Added to the OSS server's clock only. */
let ossAhead = 0;

beforeAll(async () => {
  tls = await createDemoTls();
  site = await startDemoProvider({ tls });
  oss = await startOssServer({ sts: site.sts, tls, buckets: SEED, now: () => Date.now() + ossAhead });
});
afterAll(async () => {
  await oss?.close();
  await site?.close();
});
afterEach(() => {
  ossAhead = 0;
  oss.setFault(undefined);
  site.resetFaults();
});

async function setup(localBehindMs = 0) {
  const clock = new ServerClock({ localNow: () => Date.now() - localBehindMs });
  const fetch = createFetch({ ca: tls.ca, timeoutMs: 10_000, observe: clock.observe });
  const profile = demoProfile(site, { ossEndpoint: oss.url });
  const session = await new DemoSession(profile, tls.ca, fetch).signIn();
  const sts = new StsService({
    tokens: session.tokens,
    profiles: { resolve: async () => profile },
    fetch,
    clock,
    retry: { attempts: 1, baseDelayMs: 1 },
  });
  return { clock, fetch, profile, session, sts, deps: { sts, fetch, clock } };
}

describe('listProfileBuckets', () => {
  it('lists all 2,500 buckets in three pages on one exchange', async () => {
    const { deps, profile } = await setup();
    const exchanges = site.stats.exchanges;
    const requests = oss.requests;
    const pages: number[] = [];
    const result = await listProfileBuckets(deps, profile, { onPage: (p) => pages.push(p.received) });
    expect(result.endpoint).toBe(oss.url);
    expect(result.buckets).toHaveLength(2500);
    expect(new Set(result.buckets.map((b) => b.name)).size).toBe(2500);
    expect(pages).toEqual([1000, 2000, 2500]);
    expect(oss.requests - requests).toBe(3);
    expect(site.stats.exchanges - exchanges).toBe(1);
    expect(result.owner.id).toBe(site.users.find((u) => u.login === 'alice')?.aid);
  });

  it('passes the prefix through', async () => {
    const { deps, profile } = await setup();
    const prefix = 'logs-';
    const result = await listProfileBuckets(deps, profile, { prefix });
    expect(result.buckets.map((b) => b.name).sort()).toEqual(
      SEED.filter((b) => b.name.startsWith(prefix))
        .map((b) => b.name)
        .sort(),
    );
  });

  it('renews credentials that expire in the middle of the listing, and completes it', async () => {
    const { deps, profile, sts } = await setup();
    const exchanges = site.stats.exchanges;
    const held = await sts.credentials(profile.id);
    const result = await listProfileBuckets(deps, profile, {
      onPage: (p) => {
        // OSS now considers them expired while this process still thinks they are good.
        if (p.page === 1) site.sts.lookup(held.accessKeyId)!.expiration = new Date(Date.now() - 1000);
      },
    });
    expect(result.buckets).toHaveLength(2500);
    expect(site.stats.exchanges - exchanges).toBe(2);
  });

  it('a grant revoked in the middle of the listing gives INVALID_GRANT and no partial list', async () => {
    const { deps, profile, session } = await setup();
    let revoking: Promise<void> | undefined;
    let listed: unknown;
    const listing = listProfileBuckets(deps, profile, {
      onPage: (p) => {
        if (p.page === 1) revoking = session.revoke();
      },
    }).then((result) => (listed = result));
    // onPage does not wait: hold page 2 back until the revocation is done.
    oss.setFault({ kind: 'slow', delayMs: 1000, times: 3 });
    const error = await failsWith(listing, 'INVALID_GRANT');
    await revoking;
    expect(listed).toBeUndefined();
    expect(error.message).toContain('Sign in again');
    expect(session.renewals).toBe(1);
  });

  it('credentials OSS no longer knows are exchanged again and the listing starts over', async () => {
    const { deps, profile, sts } = await setup();
    const held = await sts.credentials(profile.id);
    const exchanges = site.stats.exchanges;
    const result = await listProfileBuckets(deps, profile, {
      onPage: (p) => {
        if (p.page === 2) site.sts.revokeSubject(site.sts.lookup(held.accessKeyId)?.subject ?? '');
      },
    });
    expect(result.buckets).toHaveLength(2500);
    expect(new Set(result.buckets.map((b) => b.name)).size).toBe(2500);
    expect(site.stats.exchanges - exchanges).toBe(1);
  });

  it('gives OSS_INVALID_ACCESS_KEY when even fresh credentials are unknown to OSS', async () => {
    const { deps, profile } = await setup();
    oss.setFault({ kind: 'error', code: 'InvalidAccessKeyId', times: 2 });
    const error = await failsWith(listProfileBuckets(deps, profile), 'OSS_INVALID_ACCESS_KEY');
    expect(error.message).toContain('Sign in again');
  });

  it('signs in OSS time when the local clock is 20 minutes behind (learned from the site)', async () => {
    const { deps, profile, clock } = await setup(20 * 60_000);
    const requests = oss.requests;
    const result = await listProfileBuckets(deps, profile);
    expect(result.buckets).toHaveLength(2500);
    expect(oss.requests - requests).toBe(3);
    expect(Math.abs(clock.offsetMs(new URL(oss.url).origin) - 20 * 60_000)).toBeLessThan(2_000);
  });

  it('signs again once when OSS refuses the time and its own answer corrects the clock', async () => {
    const { deps, profile } = await setup();
    ossAhead = 20 * 60_000;
    const requests = oss.requests;
    const result = await listProfileBuckets(deps, profile);
    expect(result.buckets).toHaveLength(2500);
    expect(oss.requests - requests).toBe(4);
  });

  it('gives OSS_CLOCK_SKEW with words when signing again cannot help', async () => {
    const { deps, profile } = await setup();
    oss.setFault({ kind: 'error', code: 'RequestTimeTooSkewed', times: Infinity });
    const error = await failsWith(listProfileBuckets(deps, profile), 'OSS_CLOCK_SKEW');
    expect(error.message).toContain('clock');
  });

  it('stops when cancelled', async () => {
    const { deps, profile } = await setup();
    const abort = new AbortController();
    const listing = listProfileBuckets(deps, profile, {
      signal: abort.signal,
      onPage: () => abort.abort(new Error('stop')),
    });
    await expect(listing).rejects.toThrow('stop');
  });
});
