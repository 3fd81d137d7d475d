import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedBuckets } from '../../main/demo/oss-server/index.js';
import { HAS_KEYRING, profileId } from '../helpers/signin-fixture.js';
import { expectFailure, issuedSecrets, startStsFixture, type StsFixture } from '../helpers/sts-fixture.js';

// `alicloud-signin buckets` end to end: the built CLI, the real keyring, the demo site and the
// demo OSS server (HTTPS, one CA), 2,500 seeded buckets.

const COUNT = 2500;
const NAMES = seedBuckets(COUNT, 11)
  .map((b) => b.name)
  .sort();

let fx: StsFixture;
beforeAll(async () => {
  if (HAS_KEYRING) fx = await startStsFixture(COUNT);
});
afterAll(async () => fx?.close());
afterEach(() => {
  if (!fx) return;
  fx.oss.setFault(undefined);
  fx.provider.resetFaults();
  fx.ossAhead = 0;
});

interface BucketsJson {
  profile: string;
  endpoint: string;
  owner: { id: string; displayName: string };
  count: number;
  buckets: Array<Record<string, string | null>>;
}

describe.skipIf(!HAS_KEYRING)('alicloud-signin buckets', () => {
  it('lists all 2,500 buckets in three pages as JSON, progress on stderr', async () => {
    const requests = fx.oss.requests;
    const exchanges = fx.provider.stats.exchanges;
    const result = await fx.cli(['buckets', 'demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(fx.oss.requests - requests).toBe(3);
    expect(fx.provider.stats.exchanges - exchanges).toBe(1);
    const out = JSON.parse(result.stdout) as BucketsJson;
    expect(out.profile).toBe('demo');
    expect(out.endpoint).toBe(fx.oss.url);
    expect(out.count).toBe(COUNT);
    expect(out.owner.id).toBe('1234567890123456');
    expect(out.buckets.map((b) => b.name)).toEqual(NAMES);
    for (const bucket of out.buckets) {
      expect(Object.keys(bucket)).toEqual([
        'name',
        'region',
        'location',
        'creationDate',
        'storageClass',
        'extranetEndpoint',
        'intranetEndpoint',
        'resourceGroupId',
      ]);
    }
    expect(out.buckets[0]).toMatchObject({
      location: `oss-${out.buckets[0]!.region}`,
      extranetEndpoint: `oss-${out.buckets[0]!.region}.aliyuncs.com`,
    });
    expect(result.stderr).toContain('page 1, 1000 so far');
    expect(result.stderr).toContain('page 3, 2500 so far, done.');
  });

  it('prints a table for people, one bucket a line, with the total on stderr', async () => {
    const result = await fx.cli(['buckets']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+REGION\s+STORAGE CLASS\s+CREATED\s+RESOURCE GROUP$/);
    expect(lines).toHaveLength(COUNT + 1);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(NAMES);
    expect(result.stderr).toContain(`${COUNT} buckets, owner 1234567890123456, from ${fx.oss.url}.`);
  });

  it('filters by --prefix', async () => {
    const result = await fx.cli(['buckets', 'demo', '--prefix', 'media-', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as BucketsJson;
    expect(out.buckets.map((b) => b.name)).toEqual(NAMES.filter((n) => n.startsWith('media-')));
    const none = await fx.cli(['buckets', '--prefix', 'nothing-like-this']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No buckets starting with "nothing-like-this"');
  });

  it('renews STS credentials that expire in the middle of the listing, and completes it', async () => {
    const exchanges = fx.provider.stats.exchanges;
    // At page 2, OSS finds every set issued so far expired.
    fx.onOssRequest(2, () => {
      for (const sts of fx.sts.issued) sts.expiration = new Date(Date.now() - 1000);
    });
    const result = await fx.cli(['buckets', 'demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as BucketsJson).buckets.map((b) => b.name)).toEqual(NAMES);
    expect(fx.provider.stats.exchanges - exchanges).toBe(2);
  });

  it('signs in OSS time when OSS is 20 minutes ahead, and says so in whoami', async () => {
    fx.ossAhead = 20 * 60_000;
    const requests = fx.oss.requests;
    const result = await fx.cli(['buckets', 'demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as BucketsJson).count).toBe(COUNT);
    // The first page was refused for its time; OSS's answer corrected the clock.
    expect(fx.oss.requests - requests).toBe(4);
    const clock = JSON.parse(await readFile(join(fx.dataDir, 'clock.json'), 'utf8')) as {
      samples: Array<{ origin: string; offsetMs: number }>;
    };
    expect(clock.samples[0]?.origin).toBe(fx.oss.url);
    expect(Math.abs(clock.samples[0]!.offsetMs - 20 * 60_000)).toBeLessThan(2_000);

    const who = await fx.cli(['whoami', 'demo']);
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toContain("This computer's clock is about 20 minutes behind the time of localhost:");
    const json = JSON.parse((await fx.cli(['whoami', 'demo', '--json'])).stdout) as { clock: unknown };
    expect(json.clock).toMatchObject({ offsetSeconds: expect.any(Number), skewed: true, server: fx.oss.url });
  });

  const OSS_ERRORS: Array<[string, string, RegExp]> = [
    ['SecurityTokenExpired', 'OSS_SECURITY_TOKEN_EXPIRED', /temporary credentials have expired/],
    ['AccessDenied', 'OSS_ACCESS_DENIED', /oss:ListBuckets/],
    ['InvalidAccessKeyId', 'OSS_INVALID_ACCESS_KEY', /does not recognise the access key/],
    ['SignatureDoesNotMatch', 'OSS_SIGNATURE_MISMATCH', /could not verify the request signature/],
    ['RequestTimeTooSkewed', 'OSS_CLOCK_SKEW', /clock/],
  ];
  for (const [ossCode, code, words] of OSS_ERRORS) {
    it(`${ossCode} gives ${code} in words, nothing on stdout, no crash`, async () => {
      fx.oss.setFault({ kind: 'error', code: ossCode, times: Infinity });
      const result = await fx.cli(['buckets', 'demo']);
      expect(result.code).toBe(1);
      expect(expectFailure(result, code, issuedSecrets(fx.sts))).toMatch(words);
    });
  }

  it('a body that is not XML gives OSS_BAD_RESPONSE', async () => {
    fx.oss.setFault({ kind: 'non-xml', status: 200, times: Infinity });
    const result = await fx.cli(['buckets', 'demo', '--json']);
    expect(expectFailure(result, 'OSS_BAD_RESPONSE')).toContain('could not be read');
    fx.oss.setFault({ kind: 'non-xml', status: 502, times: Infinity });
    expectFailure(await fx.cli(['buckets', 'demo']), 'OSS_BAD_RESPONSE');
  });

  it('a grant revoked in the middle of the listing gives INVALID_GRANT and no partial list', async () => {
    let revoking: Promise<void> | undefined;
    const id = await profileId(fx, 'demo');
    // Page 2 waits while another device revokes the sign-in (which also ends its STS credentials).
    // The token is read then, not before: this run's own refresh has just rotated it.
    fx.onOssRequest(2, () => {
      fx.oss.setFault({ kind: 'slow', delayMs: 4000 });
      revoking = fx.revokeGrant('demo', id);
    });
    const result = await fx.cli(['buckets', 'demo', '--json']);
    await revoking;
    expect(result.code).toBe(4);
    expect(expectFailure(result, 'INVALID_GRANT', issuedSecrets(fx.sts))).toContain('Sign in again');
    const who = JSON.parse((await fx.cli(['whoami', 'demo', '--json'])).stdout) as {
      status: string;
      refreshTokenStored: boolean;
    };
    // The site refused the sign-in (nobody signed out): it needs attention, the token is gone.
    expect(who).toMatchObject({ status: 'needs-attention', refreshTokenStored: false });
    // The next listing says so again before touching OSS.
    const requests = fx.oss.requests;
    expectFailure(await fx.cli(['buckets', 'demo']), 'INVALID_GRANT');
    expect(fx.oss.requests).toBe(requests);
    await fx.login('demo');
  });

  it('refuses unknown flags and extra names as usage errors', async () => {
    expect((await fx.cli(['buckets', '--bogus'])).code).toBe(2);
    expectFailure(await fx.cli(['buckets', 'a', 'b']), 'INVALID_INPUT');
  });
});
