import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedBuckets, startOssServer, type OssServer } from '../../../main/demo/oss-server/index.js';
import { StsRegistry, type IssuedSts } from '../../../main/demo/sts-registry.js';
import type { AppError, ErrorCode } from '../../../main/services/core/errors.js';
import { createFetch } from '../../../main/services/net/http.js';
import { listBuckets, type ListBucketsOptions } from '../../../main/services/oss/list-buckets.js';
import type { StsCredentials } from '../../../main/services/oss/types.js';
import { failsWith } from '../../helpers/failures.js';

const SEED = seedBuckets(2500, 3);
const SORTED = SEED.map((b) => b.name).sort();
const ACCOUNT = '1234567890123456';

let sts: StsRegistry;
let server: OssServer;
/** Added to the server's clock: moves it forward without touching the client's. */
let serverClockOffset = 0;
const fetch = createFetch({ timeoutMs: 10_000 });

beforeAll(async () => {
  sts = new StsRegistry();
  server = await startOssServer({ sts, buckets: SEED, now: () => Date.now() + serverClockOffset });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  serverClockOffset = 0;
  server.setFault(undefined);
});

function options(creds: IssuedSts, more: Partial<ListBucketsOptions> = {}): ListBucketsOptions {
  return { fetch, endpoint: server.url, region: 'cn-hangzhou', credentials: async () => creds, ...more };
}

function expectNoSecrets(error: AppError, creds: StsCredentials): void {
  for (const secret of [creds.accessKeyId, creds.accessKeySecret, creds.securityToken]) {
    expect(error.message).not.toContain(secret);
  }
}

describe('listBuckets', () => {
  it('follows NextMarker through 2,500 buckets in three signed pages, with every field', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    const pages: Array<{ page: number; received: number; truncated: boolean }> = [];
    const before = server.requests;
    const result = await listBuckets(options(creds, { onPage: (p) => pages.push(p) }));
    expect(server.requests - before).toBe(3);
    expect(pages).toEqual([
      { page: 1, received: 1000, truncated: true },
      { page: 2, received: 2000, truncated: true },
      { page: 3, received: 2500, truncated: false },
    ]);
    expect(result.owner).toEqual({ id: ACCOUNT, displayName: ACCOUNT });
    expect(result.buckets.map((b) => b.name)).toEqual(SORTED);
    const seed = SEED[17]!;
    expect(result.buckets.find((b) => b.name === seed.name)).toEqual({
      name: seed.name,
      region: seed.region,
      location: `oss-${seed.region}`,
      creationDate: seed.creationDate,
      storageClass: seed.storageClass,
      extranetEndpoint: `oss-${seed.region}.aliyuncs.com`,
      intranetEndpoint: `oss-${seed.region}-internal.aliyuncs.com`,
      ...(seed.resourceGroupId ? { resourceGroupId: seed.resourceGroupId } : {}),
    });
  });

  it('passes prefix and resource group through, and accepts an oss- region', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    const prefixed = await listBuckets(options(creds, { prefix: 'data-cn-', region: 'oss-cn-hangzhou' }));
    expect(prefixed.buckets.map((b) => b.name)).toEqual(SORTED.filter((n) => n.startsWith('data-cn-')));
    const grouped = await listBuckets(options(creds, { resourceGroupId: 'rg-acfmprod00002' }));
    expect(grouped.buckets.map((b) => b.name)).toEqual(
      SEED.filter((b) => b.resourceGroupId === 'rg-acfmprod00002')
        .map((b) => b.name)
        .sort(),
    );
  });

  it('renews once when the token expires mid-listing, retries that page and completes', async () => {
    let current = sts.issue('alice', ACCOUNT, 300);
    let renewals = 0;
    const before = server.requests;
    const result = await listBuckets(
      options(current, {
        credentials: async () => current,
        renew: async () => {
          renewals++;
          current = sts.issue('alice', ACCOUNT, 3600);
          return current;
        },
        // After page 1 the server's clock passes the 5-minute expiry (still inside the 15-minute skew).
        onPage: (p) => {
          if (p.page === 1) serverClockOffset = 6 * 60_000;
        },
      }),
    );
    expect(renewals).toBe(1);
    expect(server.requests - before).toBe(4);
    expect(result.buckets.map((b) => b.name)).toEqual(SORTED);
  });

  it('gives up with OSS_SECURITY_TOKEN_EXPIRED when the renewed token is expired too', async () => {
    const creds = sts.issue('alice', ACCOUNT, 300);
    let renewals = 0;
    serverClockOffset = 6 * 60_000;
    const error = await failsWith(
      listBuckets(
        options(creds, {
          renew: async () => {
            renewals++;
            return sts.issue('alice', ACCOUNT, 60);
          },
        }),
      ),
      'OSS_SECURITY_TOKEN_EXPIRED',
    );
    expect(renewals).toBe(1);
    expect(error.message).toMatch(/expired and could not be renewed\. Sign in again/);
    expect(error.message).toMatch(/request ID [0-9A-F]{24}/);
  });

  it('does not retry SecurityTokenExpired without a renew function', async () => {
    const creds = sts.issue('alice', ACCOUNT, 300);
    serverClockOffset = 6 * 60_000;
    const before = server.requests;
    await failsWith(listBuckets(options(creds)), 'OSS_SECURITY_TOKEN_EXPIRED');
    expect(server.requests - before).toBe(1);
  });

  it.each<[string, ErrorCode, RegExp]>([
    ['AccessDenied', 'OSS_ACCESS_DENIED', /not allowed the RAM action oss:ListBuckets/],
    ['InvalidAccessKeyId', 'OSS_INVALID_ACCESS_KEY', /does not recognise the access key/],
    ['InvalidSecurityToken', 'OSS_INVALID_ACCESS_KEY', /security token/],
    ['SignatureDoesNotMatch', 'OSS_SIGNATURE_MISMATCH', /could not verify the request signature/],
    ['RequestTimeTooSkewed', 'OSS_CLOCK_SKEW', /clock/],
    ['ServiceUnavailable', 'OSS_ERROR', /error ServiceUnavailable \(HTTP 503\)/],
  ])('maps %s to %s in plain words with the request id', async (code, expected, words) => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    server.setFault({ kind: 'error', code, message: `Injected for ${creds.accessKeyId} / ${creds.securityToken}` });
    const error = await failsWith(listBuckets(options(creds)), expected);
    expect(error.message).toMatch(words);
    expect(error.message).toMatch(/request ID [0-9A-F]{24}/);
    expectNoSecrets(error, creds);
  });

  it('maps real server refusals: unknown key, wrong secret, skewed clock', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    await failsWith(listBuckets(options({ ...creds, accessKeyId: 'STS.not-issued' })), 'OSS_INVALID_ACCESS_KEY');
    const mismatch = await failsWith(
      listBuckets(options({ ...creds, accessKeySecret: 'wrong-secret' })),
      'OSS_SIGNATURE_MISMATCH',
    );
    expectNoSecrets(mismatch, creds);
    const skew = await failsWith(
      listBuckets(options(creds, { now: () => new Date(Date.now() - 20 * 60_000) })),
      'OSS_CLOCK_SKEW',
    );
    expect(skew.message).toMatch(/system clock/);
    expect(skew.message).toMatch(/about 20 minutes behind OSS's clock/);
    // A server-corrected clock fixes it.
    serverClockOffset = 20 * 60_000;
    const corrected = await listBuckets(
      options(creds, { now: () => new Date(Date.now() + serverClockOffset), prefix: 'zz' }),
    );
    expect(corrected.buckets).toEqual([]);
  });

  it.each([
    ['an HTML page with 200', { kind: 'non-xml' as const, status: 200 }],
    ['an HTML page with 502', { kind: 'non-xml' as const, status: 502 }],
    [
      'XML that is not a bucket list',
      { kind: 'non-xml' as const, status: 200, body: '<Other><A/></Other>', contentType: 'application/xml' },
    ],
    [
      'a list without an owner',
      { kind: 'non-xml' as const, status: 200, body: '<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>' },
    ],
    [
      'a truncated list without NextMarker',
      {
        kind: 'non-xml' as const,
        status: 200,
        body: '<ListAllMyBucketsResult><IsTruncated>true</IsTruncated><Owner><ID>1</ID></Owner></ListAllMyBucketsResult>',
      },
    ],
  ])('answers OSS_BAD_RESPONSE for %s', async (_name, fault) => {
    server.setFault(fault);
    const error = await failsWith(listBuckets(options(sts.issue('alice', ACCOUNT, 3600))), 'OSS_BAD_RESPONSE');
    expect(error.message).toMatch(/could not be read/);
  });

  it('returns no partial list when a later page fails', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    const pages: number[] = [];
    await failsWith(
      listBuckets(
        options(creds, {
          onPage: (p) => {
            pages.push(p.page);
            if (p.page === 2) server.setFault({ kind: 'error', code: 'InternalError' });
          },
        }),
      ),
      'OSS_ERROR',
    );
    expect(pages).toEqual([1, 2]);
  });

  it('returns no partial list when a later page is cut short or misshapen', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    const owner = `<Owner><ID>${ACCOUNT}</ID></Owner>`;
    const bucket = '<Bucket><Name>b</Name><Location>oss-cn-hangzhou</Location><CreationDate>d</CreationDate></Bucket>';
    for (const body of [
      `<ListAllMyBucketsResult>${owner}<Buckets>${bucket}${bucket.slice(0, 30)}`,
      `<ListAllMyBucketsResult>${owner}<Buckets>${bucket}<Bucket><Name>c</Name></Bucket></Buckets></ListAllMyBucketsResult>`,
      `<ListAllMyBucketsResult>${owner}<Buckets>${bucket}</Buckets>${bucket}</ListAllMyBucketsResult>`,
    ]) {
      const pages: number[] = [];
      const error = await failsWith(
        listBuckets(
          options(creds, {
            onPage: (p) => {
              pages.push(p.page);
              server.setFault({ kind: 'non-xml', status: 200, body, contentType: 'application/xml' });
            },
          }),
        ),
        'OSS_BAD_RESPONSE',
      );
      expect(pages).toEqual([1]);
      expect(error.message).toMatch(/could not be read \(HTTP 200: /);
      server.setFault(undefined);
    }
  });

  it('can be cancelled while a page is in flight', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    const controller = new AbortController();
    server.setFault({ kind: 'slow', delayMs: 2000 });
    const started = performance.now();
    const listing = listBuckets(options(creds, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expect(listing).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('stops between pages once cancelled', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    const controller = new AbortController();
    const before = server.requests;
    await expect(
      listBuckets(options(creds, { signal: controller.signal, onPage: () => controller.abort() })),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests - before).toBe(1);
  });

  it('refuses an endpoint that is not an http(s) URL', async () => {
    const creds = sts.issue('alice', ACCOUNT, 3600);
    await failsWith(listBuckets(options(creds, { endpoint: 'oss-cn-hangzhou.aliyuncs.com' })), 'INVALID_INPUT');
    await failsWith(listBuckets(options(creds, { endpoint: 'ftp://oss-cn-hangzhou.aliyuncs.com' })), 'INVALID_INPUT');
  });

  it('lists over HTTPS from a server whose CA is trusted through createFetch', async () => {
    const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;
    const ca = await generate([{ name: 'commonName', value: 'oss test CA' }], {
      ...common,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
      ...common,
      ca: { key: ca.private, cert: ca.cert },
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
    });
    const secure = await startOssServer({ sts, seed: { count: 1500 }, tls: { key: leaf.private, cert: leaf.cert } });
    try {
      expect(secure.url).toMatch(/^https:\/\/localhost:\d+$/);
      const creds = sts.issue('alice', ACCOUNT, 3600);
      const trusted = createFetch({ ca: ca.cert });
      const result = await listBuckets({ ...options(creds), fetch: trusted, endpoint: secure.url });
      expect(result.buckets).toHaveLength(1500);
      await failsWith(listBuckets({ ...options(creds), endpoint: secure.url }), 'NETWORK');
    } finally {
      await secure.close();
    }
  });
});
