import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBuckets, startOssServer, type OssServer } from '../../main/demo/oss-server/index.js';
import { StsRegistry, type IssuedSts } from '../../main/demo/sts-registry.js';
import { canonicalQuery, signV4 } from '../../main/services/oss/sign-v4.js';
import { child, childrenNamed, childText, parseXml, type XmlElement } from '../../main/services/oss/xml.js';

interface AliOssClient {
  listBuckets(query?: Record<string, string | number>): Promise<{
    buckets: Array<{ name: string; region: string }> | null;
    owner: { id: string };
    isTruncated: boolean;
    nextMarker: string | null;
  }>;
}
type AliOssCtor = new (options: Record<string, unknown>) => AliOssClient;
const OSS = createRequire(import.meta.url)('ali-oss') as AliOssCtor;

const SEED = seedBuckets(2500, 7);
const SORTED = SEED.map((b) => b.name).sort();

let sts: StsRegistry;
let server: OssServer;
let creds: IssuedSts;

beforeAll(async () => {
  sts = new StsRegistry();
  server = await startOssServer({ sts, buckets: SEED });
  creds = sts.issue('subject-1', '1234567890123456', 3600);
});
afterAll(async () => {
  await server.close();
});

interface Answer {
  stringToSign: string;
  status: number;
  headers: Headers;
  text: string;
  xml: XmlElement;
}

async function get(
  query: Array<[string, string]>,
  o: {
    creds?: Pick<IssuedSts, 'accessKeyId' | 'accessKeySecret' | 'securityToken'>;
    headers?: Record<string, string>;
    date?: Date;
    edit?: (h: Record<string, string>) => void;
  } = {},
): Promise<Answer> {
  const c = o.creds ?? creds;
  const signed = signV4({
    method: 'GET',
    query,
    headers: o.headers ?? {},
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken,
    region: 'cn-hangzhou',
    date: o.date ?? new Date(),
  });
  o.edit?.(signed.headers);
  const url = new URL(server.url);
  url.search = canonicalQuery(query);
  const response = await fetch(url, { headers: signed.headers });
  const text = await response.text();
  return {
    stringToSign: signed.stringToSign,
    status: response.status,
    headers: response.headers,
    text,
    xml: parseXml(text),
  };
}

const names = (xml: XmlElement): string[] =>
  childrenNamed(child(xml, 'Buckets')!, 'Bucket').map((b) => childText(b, 'Name')!);

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.xml.name).toBe('Error');
  expect(childText(answer.xml, 'Code')).toBe(code);
  expect(childText(answer.xml, 'RequestId')).toBe(answer.headers.get('x-oss-request-id'));
  expect(childText(answer.xml, 'HostId')).toMatch(/^localhost:\d+$/);
  expect(childText(answer.xml, 'EC')).toMatch(/^\d{4}-\d{8}$/);
}

describe('demo OSS server: ListBuckets', () => {
  it('pages 2,500 buckets in three pages of at most 1000, sorted by name', async () => {
    const seen: string[] = [];
    let marker = '';
    const sizes: number[] = [];
    for (;;) {
      const answer = await get(
        marker
          ? [
              ['max-keys', '1000'],
              ['marker', marker],
            ]
          : [['max-keys', '1000']],
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
      expect(answer.headers.get('date')).toBeTruthy();
      sizes.push(names(answer.xml).length);
      seen.push(...names(answer.xml));
      if (childText(answer.xml, 'IsTruncated') !== 'true') {
        expect(child(answer.xml, 'NextMarker')).toBeUndefined();
        break;
      }
      marker = childText(answer.xml, 'NextMarker')!;
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(seen).toEqual(SORTED);
  });

  it('reports every bucket field and, only when truncated, the paging fields', async () => {
    const answer = await get([
      ['max-keys', '2'],
      ['prefix', 'logs-'],
    ]);
    const [a, b] = childrenNamed(child(answer.xml, 'Buckets')!, 'Bucket');
    const seed = SEED.find((s) => s.name === childText(a!, 'Name'))!;
    expect(childText(a!, 'Region')).toBe(seed.region);
    expect(childText(a!, 'Location')).toBe(`oss-${seed.region}`);
    expect(childText(a!, 'ExtranetEndpoint')).toBe(`oss-${seed.region}.aliyuncs.com`);
    expect(childText(a!, 'IntranetEndpoint')).toBe(`oss-${seed.region}-internal.aliyuncs.com`);
    expect(childText(a!, 'CreationDate')).toBe(seed.creationDate);
    expect(childText(a!, 'StorageClass')).toBe(seed.storageClass);
    expect(childText(a!, 'ResourceGroupId')).toBe(seed.resourceGroupId);
    expect(childText(answer.xml, 'Prefix')).toBe('logs-');
    expect(childText(answer.xml, 'Marker')).toBe('');
    expect(childText(answer.xml, 'MaxKeys')).toBe('2');
    expect(childText(answer.xml, 'IsTruncated')).toBe('true');
    expect(childText(answer.xml, 'NextMarker')).toBe(childText(b!, 'Name'));
    expect(childText(child(answer.xml, 'Owner')!, 'ID')).toBe('1234567890123456');

    const all = await get([
      ['max-keys', '1000'],
      ['prefix', 'zzz'],
    ]);
    expect(names(all.xml)).toEqual([]);
    for (const field of ['Prefix', 'Marker', 'MaxKeys', 'IsTruncated', 'NextMarker'])
      expect(child(all.xml, field)).toBeUndefined();
  });

  it('filters by prefix, uses an exclusive marker and defaults max-keys to 100', async () => {
    const prefixed = await get([
      ['max-keys', '1000'],
      ['prefix', 'media-cn-'],
    ]);
    expect(names(prefixed.xml)).toEqual(SORTED.filter((n) => n.startsWith('media-cn-')));
    expect(names(prefixed.xml).length).toBeGreaterThan(10);

    const marker = SORTED[41]!;
    const after = await get([
      ['max-keys', '3'],
      ['marker', marker],
    ]);
    expect(names(after.xml)).toEqual(SORTED.slice(42, 45));

    const between = await get([
      ['marker', 'logs-zz'],
      ['prefix', 'logs-'],
    ]);
    expect(names(between.xml)).toEqual([]);

    const byDefault = await get([]);
    expect(names(byDefault.xml)).toEqual(SORTED.slice(0, 100));
    expect(childText(byDefault.xml, 'MaxKeys')).toBe('100');
  });

  it.each(['0', '1001', '-1', 'abc', '1.5', ''])('refuses max-keys=%j with InvalidArgument', async (value) => {
    const answer = await get([['max-keys', value]]);
    expectError(answer, 400, 'InvalidArgument');
    expect(childText(answer.xml, 'ArgumentName')).toBe('max-keys');
  });

  it('accepts max-keys 1 and 1000', async () => {
    expect(names((await get([['max-keys', '1']])).xml)).toHaveLength(1);
    expect(names((await get([['max-keys', '1000']])).xml)).toHaveLength(1000);
  });

  it('filters by x-oss-resource-group-id', async () => {
    const group = 'rg-acfmstaging003';
    const answer = await get([['max-keys', '1000']], { headers: { 'x-oss-resource-group-id': group } });
    const expected = SEED.filter((b) => b.resourceGroupId === group)
      .map((b) => b.name)
      .sort();
    expect(expected.length).toBeGreaterThan(100);
    expect(names(answer.xml)).toEqual(expected);
    const none = await get([], { headers: { 'x-oss-resource-group-id': 'rg-unknown' } });
    expect(names(none.xml)).toEqual([]);
  });
});

describe('demo OSS server: authentication', () => {
  it('refuses V1 signatures as Alibaba does for new accounts', async () => {
    const answer = await get([], { edit: (h) => (h['Authorization'] = `OSS ${creds.accessKeyId}:c2lnbmF0dXJlIQ==`) });
    expectError(answer, 403, 'AccessDenied');
    expect(childText(answer.xml, 'EC')).toBe('0002-00000080');
    expect(childText(answer.xml, 'Message')).toMatch(/V1 signature.*V4/);
  });

  it('refuses anonymous and malformed Authorization', async () => {
    expectError(await get([], { edit: (h) => delete h['Authorization'] }), 403, 'AccessDenied');
    expectError(
      await get([], { edit: (h) => (h['Authorization'] = 'OSS4-HMAC-SHA256 Credential=x') }),
      400,
      'InvalidArgument',
    );
  });

  it('answers SignatureDoesNotMatch with the StringToSign it computed', async () => {
    const answer = await get([['max-keys', '5']], { creds: { ...creds, accessKeySecret: 'not-the-secret' } });
    expectError(answer, 403, 'SignatureDoesNotMatch');
    // The string to sign does not depend on the secret: the server's must equal the client's.
    expect(childText(answer.xml, 'StringToSign')).toBe(answer.stringToSign);
    expect(childText(answer.xml, 'SignatureProvided')).toMatch(/^[0-9a-f]{64}$/);

    const tampered = await get([['max-keys', '5']], {
      edit: (h) => (h['x-oss-resource-group-id'] = 'rg-added-after-signing'),
    });
    expectError(tampered, 403, 'SignatureDoesNotMatch');
  });

  it('checks the access key, the security token and its expiry against the STS registry', async () => {
    expectError(await get([], { creds: { ...creds, accessKeyId: 'STS.unknown' } }), 403, 'InvalidAccessKeyId');
    expectError(await get([], { edit: (h) => delete h['x-oss-security-token'] }), 403, 'InvalidAccessKeyId');
    expectError(await get([], { creds: { ...creds, securityToken: 'CAISforged' } }), 403, 'InvalidSecurityToken');
    const old = sts.issue('subject-1', '1234567890123456', 60, Date.now() - 120_000);
    expectError(await get([], { creds: old }), 403, 'SecurityTokenExpired');
  });

  it('refuses a request time more than 15 minutes away', async () => {
    const answer = await get([], { date: new Date(Date.now() - 16 * 60_000) });
    expectError(answer, 403, 'RequestTimeTooSkewed');
    expect(childText(answer.xml, 'ServerTime')).toBeTruthy();
    expect((await get([], { date: new Date(Date.now() + 14 * 60_000) })).status).toBe(200);
  });
});

describe('demo OSS server: faults', () => {
  it('forces an error code once, then answers normally', async () => {
    server.setFault({ kind: 'error', code: 'AccessDenied' });
    expectError(await get([]), 403, 'AccessDenied');
    expect((await get([])).status).toBe(200);
  });

  it('answers a non-XML body', async () => {
    server.setFault({ kind: 'non-xml', status: 502 });
    const response = await fetch(server.url);
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(/^<html>/);
  });

  it('answers slowly', async () => {
    server.setFault({ kind: 'slow', delayMs: 300 });
    const started = performance.now();
    expect((await get([])).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('ali-oss (authorizationV4: true) against the demo server', () => {
  const client = (): AliOssClient =>
    new OSS({
      accessKeyId: creds.accessKeyId,
      accessKeySecret: creds.accessKeySecret,
      stsToken: creds.securityToken,
      region: 'oss-cn-hangzhou',
      endpoint: server.url,
      authorizationV4: true,
      // ali-oss warns when stsToken comes without a refresher; it refreshes on a timer only anyway.
      refreshSTSToken: async () => ({
        accessKeyId: creds.accessKeyId,
        accessKeySecret: creds.accessKeySecret,
        stsToken: creds.securityToken,
      }),
      refreshSTSTokenInterval: 3_600_000,
    });

  it('lists every bucket page by page', async () => {
    const oss = client();
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const result = await oss.listBuckets(marker ? { 'max-keys': 1000, marker } : { 'max-keys': 1000 });
      pages++;
      seen.push(...(result.buckets ?? []).map((b) => b.name));
      expect(result.owner.id).toBe('1234567890123456');
      if (!result.isTruncated) break;
      marker = result.nextMarker!;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(SORTED);
  });

  it('lists with a prefix (ali-oss reports Location as "region")', async () => {
    const result = await client().listBuckets({ prefix: 'backup-eu-', 'max-keys': 1000 });
    const expected = SEED.filter((b) => b.name.startsWith('backup-eu-'));
    expect(result.buckets?.map((b) => b.name)).toEqual(expected.map((b) => b.name).sort());
    expect(result.buckets?.[0]?.region).toMatch(/^oss-eu-/);
  });
});

describe('demo OSS server: speed', () => {
  it('serves 10,000 buckets in pages of 1000 quickly', async () => {
    const sts2 = new StsRegistry();
    const big = await startOssServer({ sts: sts2, seed: { count: 10_000 } });
    const c = sts2.issue('s', '1', 3600);
    try {
      const started = performance.now();
      let marker = '';
      let total = 0;
      for (;;) {
        const query: Array<[string, string]> = marker
          ? [
              ['max-keys', '1000'],
              ['marker', marker],
            ]
          : [['max-keys', '1000']];
        const signed = signV4({ method: 'GET', query, headers: {}, ...c, region: 'cn-hangzhou', date: new Date() });
        const url = new URL(big.url);
        url.search = canonicalQuery(query);
        const xml = parseXml(await (await fetch(url, { headers: signed.headers })).text());
        total += names(xml).length;
        if (childText(xml, 'IsTruncated') !== 'true') break;
        marker = childText(xml, 'NextMarker')!;
      }
      const elapsed = performance.now() - started;
      expect(total).toBe(10_000);
      expect(big.requests).toBe(10);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      await big.close();
    }
  });
});
